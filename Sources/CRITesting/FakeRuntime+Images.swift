public import CRI

extension FakeRuntime {
    /// PullImage: adds (or refreshes) the image after ``Configuration/pullLatency``; registries listed
    /// in ``Configuration/registryCredentials`` need matching credentials.
    ///
    /// Records look as containerd keeps them: a pull by tag adds the tag to `repoTags` and the
    /// manifest's digest reference to `repoDigests`; a pull by digest adds only the digest reference.
    /// The image ID names the content, so the same repository and tag from two registries (a
    /// mirror) is one image with two tags. `uid` or `username` come from ``Configuration/imageUsers``.
    /// A call cancelled during the pull adds nothing.
    public func pullImage(_ request: PullImageRequest) async throws(CRIError) -> PullImageResponse {
        try await pullImage(request, deadline: nil)
    }

    /// PullImage with the call's deadline (``FakeCRIServer`` passes the client's): a pull that
    /// cannot finish before it waits until then and fails with DEADLINE_EXCEEDED, adding nothing,
    /// however late the server's own deadline timer runs.
    func pullImage(_ request: PullImageRequest, deadline: ContinuousClock.Instant?) async throws(CRIError)
        -> PullImageResponse
    {
        guard let spec = request.image, !spec.image.isEmpty else {
            throw CRIError(code: .invalidArgument, message: "image.image must not be empty")
        }
        let reference = ImageReference(spec.image)
        try checkCredentials(request.auth, for: reference)
        if let deadline, deadline < .now + configuration.pullLatency {
            try? await Task.sleep(until: deadline, clock: .continuous)
            throw CRIError(
                code: .deadlineExceeded,
                message: "failed to pull and unpack image \"\(reference.normalized)\": context deadline exceeded")
        }
        if configuration.pullLatency > .zero {
            do {
                try await Task.sleep(for: configuration.pullLatency)
            } catch {
                throw CRIError(
                    code: .cancelled,
                    message: "failed to pull and unpack image \"\(reference.normalized)\": context canceled")
            }
        }
        // Nothing above touched the image records, so other calls that ran during the sleep leave
        // nothing stale here: all of the update happens from this point, without suspending.
        let manifest = reference.digest ?? "sha256:" + fakeDigest(of: "manifest " + reference.contentKey)
        let id = manifestImageIDs[manifest] ?? "sha256:" + fakeDigest(of: "config " + reference.contentKey)
        manifestImageIDs[manifest] = id
        var image = images[id] ?? Image()
        image.id = id
        if reference.digest == nil, !image.repoTags.contains(reference.normalized) {
            image.repoTags.append(reference.normalized)
        }
        let repoDigest = "\(reference.repository)@\(manifest)"
        if !image.repoDigests.contains(repoDigest) { image.repoDigests.append(repoDigest) }
        image.size = 1_048_576 + UInt64(id.utf8.reduce(0) { $0 &+ Int($1) }) * 4096
        let user = configuration.imageUsers[reference.normalized] ?? configuration.imageUsers[reference.repository]
        (image.uid, image.username) = imageUser(user ?? "")
        var imageSpec = ImageSpec()
        imageSpec.image = id
        imageSpec.annotations = spec.annotations
        image.spec = imageSpec
        images[id] = image
        var response = PullImageResponse()
        response.imageRef = id
        return response
    }

    private func checkCredentials(_ auth: AuthConfig?, for reference: ImageReference) throws(CRIError) {
        guard let required = configuration.registryCredentials[reference.registry] else { return }
        let auth = auth ?? AuthConfig()
        var username = auth.username
        var password = auth.password
        if !auth.auth.isEmpty, let decoded = Base64.decode(auth.auth) {
            let text = String(decoding: decoded, as: UTF8.self)
            let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            username = String(parts.first ?? "")
            password = parts.count > 1 ? String(parts[1]) : ""
        }
        guard username == required.username, password == required.password else {
            throw CRIError(
                code: .unknown,
                message:
                    "failed to pull and unpack image \"\(reference.normalized)\": failed to resolve reference: pull access denied, repository does not exist or may require authorization: authorization failed: 401 Unauthorized"
            )
        }
    }

    /// containerd's reading of an image config's `User`: the part before any `:group`; a number
    /// is the uid, anything else the username; no user gives neither.
    private func imageUser(_ user: String) -> (Int64Value?, String) {
        guard let name = user.split(separator: ":", omittingEmptySubsequences: false).first, !name.isEmpty else {
            return (nil, "")
        }
        guard let uid = Int64(name) else { return (nil, String(name)) }
        return (Int64Value { $0.value = uid }, "")
    }

    /// ListImages: images whose tag or ID matches the filter's image (all when empty).
    public func listImages(_ request: ListImagesRequest) -> ListImagesResponse {
        var response = ListImagesResponse()
        response.images = filteredImages(request.filter)
        return response
    }

    func filteredImages(_ filter: ImageFilter?) -> [Image] {
        let wanted = filter?.image?.image ?? ""
        return images.values
            .filter { wanted.isEmpty || findImage(wanted)?.id == $0.id }
            .sorted { ($0.repoTags.first ?? $0.id) < ($1.repoTags.first ?? $1.id) }
    }

    /// ImageStatus: the image, or no image (not an error) when it is absent.
    public func imageStatus(_ request: ImageStatusRequest) -> ImageStatusResponse {
        var response = ImageStatusResponse()
        guard let name = request.image?.image, let image = findImage(name) else { return response }
        response.image = image
        if request.verbose {
            response.info = ["info": #"{"chainID":"\#(image.id)","imageSpec":{"architecture":"amd64","os":"linux"}}"#]
        }
        return response
    }

    /// RemoveImage: removes the image by ID, tag or digest; removing an absent image succeeds.
    public func removeImage(_ request: RemoveImageRequest) -> RemoveImageResponse {
        if let name = request.image?.image, let image = findImage(name) { images[image.id] = nil }
        return RemoveImageResponse()
    }

    /// ImageFsInfo: one filesystem whose usage is the sum of the image sizes.
    public func imageFsInfo(_ request: ImageFsInfoRequest) -> ImageFsInfoResponse {
        var usage = FilesystemUsage()
        usage.timestamp = wallClockNanoseconds()
        var identifier = FilesystemIdentifier()
        identifier.mountpoint = "/var/lib/fake-cri/snapshots"
        usage.fsID = identifier
        var used = UInt64Value()
        used.value = images.values.reduce(0) { $0 + $1.size }
        usage.usedBytes = used
        var inodes = UInt64Value()
        inodes.value = UInt64(images.count * 1200)
        usage.inodesUsed = inodes
        var response = ImageFsInfoResponse()
        response.imageFilesystems = [usage]
        var containerUsage = usage
        containerUsage.fsID?.mountpoint = "/var/lib/fake-cri/containers"
        response.containerFilesystems = [containerUsage]
        return response
    }

    /// Finds an image by ID (full or unique prefix, with or without `sha256:`), tag, or digest reference.
    func findImage(_ name: String) -> Image? {
        if let image = images[name] ?? images["sha256:" + name] { return image }
        let normalized = ImageReference(name).normalized
        if let image = images.values.first(where: { $0.repoTags.contains(normalized) || $0.repoDigests.contains(name) })
        {
            return image
        }
        let prefixMatches = images.keys.filter { $0.hasPrefix(name) || $0.hasPrefix("sha256:" + name) }
        if name.count >= 4, prefixMatches.count == 1, let key = prefixMatches.first { return images[key] }
        return nil
    }
}

/// A digest-like 64-hex string derived from `text` (stable across runs, no crypto needed).
func fakeDigest(of text: String) -> String {
    var state: UInt64 = 0xCBF2_9CE4_8422_2325
    var output = ""
    for round in 0..<4 {
        for byte in text.utf8 {
            state = (state ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        state = (state ^ UInt64(round)) &* 0x0000_0100_0000_01B3
        let hex = String(state, radix: 16)
        output += String(repeating: "0", count: 16 - hex.count) + hex
    }
    return output
}

/// An image name split the way Docker references are: `busybox` → `docker.io/library/busybox:latest`.
struct ImageReference {
    var registry: String
    var repository: String
    var normalized: String
    /// The `sha256:...` digest of a digest reference.
    var digest: String?
    /// What names the image's content, independent of the registry serving it: the path and the
    /// tag or digest (`library/busybox:latest`).
    var contentKey: String

    init(_ name: String) {
        var remainder = Substring(name)
        var registry = "docker.io"
        if let slash = remainder.firstIndex(of: "/") {
            let first = remainder[..<slash]
            if first.contains(".") || first.contains(":") || first == "localhost" {
                registry = String(first)
                remainder = remainder[remainder.index(after: slash)...]
            }
        }
        var path = remainder
        var tag = "latest"
        var digest: Substring?
        if let at = path.firstIndex(of: "@") {
            digest = path[path.index(after: at)...]
            path = path[..<at]
        }
        if let colon = path.lastIndex(of: ":") {
            tag = String(path[path.index(after: colon)...])
            path = path[..<colon]
        }
        if registry == "docker.io", !path.contains("/") { path = "library/" + path }
        self.registry = registry
        self.repository = "\(registry)/\(path)"
        self.digest = digest.map(String.init)
        self.normalized = digest.map { "\(registry)/\(path)@\($0)" } ?? "\(registry)/\(path):\(tag)"
        self.contentKey = digest.map { "\(path)@\($0)" } ?? "\(path):\(tag)"
    }
}
