print("cri: not yet implemented")
