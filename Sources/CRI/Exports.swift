// `import CRI` is all a program needs: the generated CRI v1 messages and the codec API they use
// (`serializedBytes()`, `jsonString()`, ...) come with it.
@_exported public import CRIv1
@_exported public import CRIWire
