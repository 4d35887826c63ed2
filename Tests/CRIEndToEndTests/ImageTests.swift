import CRI
import Synchronization
import Testing

extension LabEndToEndTests {
    @Test("PullImage from the open registry and, with credentials, from the authenticated one")
    func pullFromBothRegistries() async throws {
        let lab = try LabEnvironment.require()
        try await lab.withClient { cri in
            let openRef = try await cri.pullImage(lab.busyboxImage)
            #expect(openRef.hasPrefix("sha256:"))
            let auth = AuthConfig { $0.username = lab.user; $0.password = lab.password }
            let authRef = try await cri.pullImage(lab.authBusyboxImage, auth: auth)
            #expect(authRef.hasPrefix("sha256:"))
            // Both registries hold the same image (the lab pushes one build to both).
            #expect(authRef == openRef)

            let image = try #require(try await cri.imageStatus(lab.authBusyboxImage))
            #expect(image.id == authRef)
            #expect(image.repoTags.contains(lab.busyboxImage) && image.repoTags.contains(lab.authBusyboxImage), "\(image.repoTags)")
            // containerd 1.6 ignores ListImages' filter (it returns every image), so only
            // membership is asserted.
            #expect(try await cri.listImages(matching: lab.busyboxImage).contains { $0.id == openRef })
        }
    }

    @Test("A wrong password fails with a CRIError naming the image, never the password")
    func pullWithWrongPassword() async throws {
        let lab = try LabEnvironment.require()
        let wrongPassword = "not-the-lab-password-\(uniqueName("secret"))"
        let records = Mutex<[CRICallRecord]>([])
        var options = CRIClientOptions()
        options.logger = { record in records.withLock { $0.append(record) } }
        try await lab.withClient(options: options) { cri in
            let auth = AuthConfig { $0.username = lab.user; $0.password = wrongPassword }
            let error = try await #require(throws: CRIError.self) {
                try await cri.pullImage(lab.authBusyboxImage, auth: auth)
            }
            // containerd reports the registry's 401 as UNKNOWN with the image reference and status.
            #expect(error.code == .unknown, "\(error)")
            #expect(error.method == "PullImage")
            #expect(error.description.contains(lab.authBusyboxImage), "\(error)")
            #expect(error.description.contains("401"), "\(error)")
            #expect(!error.description.contains(wrongPassword))
            #expect(!String(reflecting: error).contains(wrongPassword))

            // The call record (what a logger prints) shows the request, redacted.
            let pull = try #require(records.withLock { $0 }.last { $0.method == "PullImage" })
            #expect(pull.error == error)
            #expect(pull.request.contains(lab.authBusyboxImage), "\(pull.request)")
            #expect(!pull.description.contains(wrongPassword), "\(pull.description)")

            // Without credentials the registry refuses too (containerd resolves the tag every time).
            let anonymous = try await #require(throws: CRIError.self) {
                try await cri.pullImage(lab.authBusyboxImage)
            }
            #expect(anonymous.description.contains("401"), "\(anonymous)")
        }
    }
}
