import CRI
import Foundation

/// PullImage with the CLI's behaviour: the elapsed-time spinner on a terminal, and errors that
/// name the image.
enum ImagePulling {
    /// Pulls `image` and returns the runtime's image reference.
    static func pull(
        _ image: String, client: CRIClient, auth: AuthConfig?, sandboxConfig: PodSandboxConfig?,
        annotations: [String: String] = [:]
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
    private let task: Task<Void, Never>

    private init(task: Task<Void, Never>) {
        self.task = task
    }

    static func start(label: String) -> Spinner? {
        guard CLIOutput.isTerminal(2) else { return nil }
        let started = ContinuousClock.now
        let task = Task {
            let frames = ["|", "/", "-", "\\"]
            var frame = 0
            while !Task.isCancelled {
                let elapsed = (ContinuousClock.now - started).inSeconds
                CLIOutput.errorText("\r\(frames[frame % 4]) \(label) (\(String(format: "%.1f", elapsed))s)")
                frame += 1
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
        return Spinner(task: task)
    }

    func stop() {
        task.cancel()
        CLIOutput.errorText("\r\u{1B}[K")
    }
}
