// The ImageService RPCs (unary); StreamImages is in CRIClient+Streaming.swift.

extension CRIClient {
    /// ListImages: Lists images, optionally filtered by image name.
    ///
    /// - Throws: ``CRIError``.
    public func listImages(
        _ request: ListImagesRequest = ListImagesRequest(), options callOptions: CRICallOptions? = nil
    ) async throws -> ListImagesResponse {
        try await unary(ImageService.listImages, request, deadline: .standard, options: callOptions)
    }

    /// ImageStatus: The status of one image; an absent image gives a response without `image`, not an error.
    ///
    /// - Throws: ``CRIError``.
    public func imageStatus(
        _ request: ImageStatusRequest, options callOptions: CRICallOptions? = nil
    ) async throws -> ImageStatusResponse {
        try await unary(
            ImageService.imageStatus, request, deadline: .standard, options: callOptions,
            validate: CRIResponseValidation.imageStatus)
    }

    /// PullImage: Pulls an image, with optional registry credentials. Deadline: ``CRIClientOptions/pullImageTimeout``
    /// (none by default).
    ///
    /// - Throws: ``CRIError``.
    public func pullImage(
        _ request: PullImageRequest, options callOptions: CRICallOptions? = nil
    ) async throws -> PullImageResponse {
        try await unary(
            ImageService.pullImage, request, deadline: .fixed(options.pullImageTimeout), options: callOptions,
            validate: CRIResponseValidation.pullImage)
    }

    /// RemoveImage: Removes an image; idempotent.
    ///
    /// - Throws: ``CRIError``.
    public func removeImage(
        _ request: RemoveImageRequest, options callOptions: CRICallOptions? = nil
    ) async throws -> RemoveImageResponse {
        try await unary(ImageService.removeImage, request, deadline: .standard, options: callOptions)
    }

    /// ImageFsInfo: Usage of the filesystems that hold images and container layers.
    ///
    /// - Throws: ``CRIError``.
    public func imageFsInfo(
        _ request: ImageFsInfoRequest = ImageFsInfoRequest(), options callOptions: CRICallOptions? = nil
    ) async throws -> ImageFsInfoResponse {
        try await unary(ImageService.imageFsInfo, request, deadline: .standard, options: callOptions)
    }
}
