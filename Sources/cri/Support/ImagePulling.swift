import CRI
import Foundation
import Synchronization

/// PullImage with the CLI's behaviour: the elapsed-time spinner on a terminal, and errors that
/// name the image.
enum ImagePulling {
    /// Pulls `image` and returns the runtime's image reference.
    static func pull(
        _ image: String, client: CRIClient, auth: AuthConfig?, sandboxConfig: PodSandboxConfig?,
        annotations: StringMap = [:]
    ) async throws -> String {
        var spec = ImageSpec()
        spec.image = image
        spec.annotations = annotations
        var request = PullImageRequest()
        request.image = spec
        request.auth = auth
        request.sandboxConfig = sandboxConfig
        let spinner = Spinner.start(label: "Pulling image \(image)")
        defer { spinner?.stop() }
        return try await client.pullImage(request).imageRef
    }
}

/// An elapsed-time indicator on stderr, shown only when stderr is a terminal.
final class Spinner: Sendable {
    /// Set by ``stop()``; checked under the lock before each frame so no frame follows the clearing.
    private let stopped = Mutex(false)
    private let label: String
    private let started = ContinuousClock.now

    private init(label: String) {
        self.label = label
    }

    static func start(label: String) -> Spinner? {
        guard CLIOutput.isTerminal(2) else { return nil }
        let spinner = Spinner(label: label)
        Task { await spinner.animate() }
        return spinner
    }

    private func animate() async {
        let frames = ["|", "/", "-", "\\"]
        var frame = 0
        while true {
            let elapsed = (ContinuousClock.now - started).inSeconds
            let text = "\r\(frames[frame % 4]) \(label) (\(String(format: "%.1f", elapsed))s)"
            let done = stopped.withLock { stopped in
                if !stopped { CLIOutput.errorText(text) }
                return stopped
            }
            if done { return }
            frame += 1
            try? await Task.sleep(for: .milliseconds(100))
        }
    }

    func stop() {
        stopped.withLock { stopped in
            stopped = true
            CLIOutput.errorText("\r\u{1B}[K")
        }
    }
}
