print("cri-generate: not yet implemented")
