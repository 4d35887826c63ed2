import CRIWire
import CRIv1
import Testing

@Suite("Descriptions")
struct DescriptionTests {
    @Test("AuthConfig secrets never appear in description or debugDescription")
    func redaction() {
        let auth = AuthConfig { $0.username = "robot"; $0.password = "s3cret" }
        for text in [auth.description, auth.debugDescription, "\(auth)", String(describing: auth), String(reflecting: auth)] {
            #expect(!text.contains("s3cret"), "\(text)")
            #expect(text.contains("password: <redacted>"), "\(text)")
            #expect(text.contains("robot"))
        }
        let request = GoldenValues.pullImageRequest
        for secret in ["s3cret", "cm9ib3Q6czNjcmV0", "id-token", "reg-token"] {
            #expect(!request.description.contains(secret), "\(request.description)")
            #expect(!request.debugDescription.contains(secret))
        }
        #expect(!AuthConfig().description.contains("redacted"), "unset secrets are not mentioned")
    }

    @Test("descriptions are one line, name set fields by proto name and skip defaults")
    func shape() {
        let metadata = PodSandboxMetadata { $0.name = "web"; $0.attempt = 2 }
        #expect(metadata.description == #"PodSandboxMetadata(name: "web", attempt: 2)"#)
        let container = Container { $0.podSandboxID = "p"; $0.state = .containerRunning; $0.labels = ["a": "b"] }
        #expect(container.description == #"Container(pod_sandbox_id: "p", state: CONTAINER_RUNNING, labels: ["a": "b"])"#)
        #expect(!GoldenValues.runPodSandboxRequest.description.contains("\n"))
    }
}
