import ArgumentParser
import CRI
import CRITesting
import Foundation

/// `cri demo`: the everyday crictl workflow, run in-process against a fake runtime on a temporary
/// socket, printed as a transcript. Every step goes through the same code as the real command.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "Tour the everyday workflow against a built-in fake runtime (no containerd needed).")

    func run() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cri-demo-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory + "/logs", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let previousDirectory = FileManager.default.currentDirectoryPath
        _ = FileManager.default.changeCurrentDirectoryPath(directory)
        defer { _ = FileManager.default.changeCurrentDirectoryPath(previousDirectory) }
        try Self.podYAML(logDirectory: directory + "/logs").write(toFile: "pod.yaml", atomically: true, encoding: .utf8)
        try Self.containerYAML.write(toFile: "ctr.yaml", atomically: true, encoding: .utf8)

        let server = try await FakeCRIServer.start()
        do {
            try await tour(server)
            await server.shutdown()
        } catch {
            await server.shutdown()
            throw error
        }
    }

    private func tour(_ server: FakeCRIServer) async throws {
        var context = CLIContext()
        context.globals.runtimeEndpoint = server.endpoint
        context.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("CRICTL_") && $0.key != "DOCKER_CONFIG" }
        context.readsConfigFile = false
        context.announcesDefaultEndpoint = false
        let demo = Transcript(context: context)

        CLIOutput.line("# A fake CRI runtime is serving on \(server.endpoint); each command below runs")
        CLIOutput.line("# exactly as `cri -r \(server.endpoint) <args>` would.")
        CLIOutput.line()
        try await demo.run("version")
        try await demo.run("info")
        demo.show("cat", "pod.yaml")
        demo.show("cat", "ctr.yaml")
        try await demo.run("runp", "pod.yaml")
        let podID = try await withCRIClient(endpoint: server.endpoint) { try await $0.listPodSandbox(filter: nil).first?.id } ?? ""
        let pod = String(podID.prefix(13))
        try await demo.run("pods")
        try await demo.run("pull", "busybox")
        try await demo.run("images")
        try await demo.run("create", pod, "ctr.yaml", "pod.yaml")
        let containerID = try await withCRIClient(endpoint: server.endpoint) { try await $0.listContainers(filter: nil).first?.id } ?? ""
        let container = String(containerID.prefix(13))
        try await demo.run("start", container)
        try await demo.run("ps")
        try await demo.run("exec", "-s", container, "echo", "hello")
        try await demo.run("exec", container, "sh", "-c", "echo -n \"streamed over WebSocket from \"; hostname; exit 3", allowing: [3])
        try await demo.run("logs", container)
        try await demo.run("stop", container)
        try await demo.run("ps", "-a")
        try await demo.run("rm", container)
        try await demo.run("stopp", pod)
        try await demo.run("rmp", pod)
        try await demo.run("pods")
        CLIOutput.line("# Done. Point cri at a real runtime with -r unix:///run/containerd/containerd.sock.")
    }

    /// Prints `$ cri …` and runs it in-process.
    struct Transcript {
        let context: CLIContext

        func run(_ arguments: String..., allowing allowed: Set<Int32> = []) async throws {
            CLIOutput.line("$ cri " + arguments.map(Self.shellQuoted).joined(separator: " "))
            let status = await CLIRunner.run(arguments: arguments, context: context)
            if status != 0 && !allowed.contains(status) {
                throw CLIFailure("demo step `cri \(arguments.joined(separator: " "))` failed with exit status \(status)")
            }
            if status != 0 { CLIOutput.line("# (exit status \(status): cri exec passes the command's own exit code through)") }
            CLIOutput.line()
        }

        func show(_ command: String, _ file: String) {
            CLIOutput.line("$ \(command) \(file)")
            CLIOutput.write((try? String(contentsOfFile: file, encoding: .utf8)) ?? "")
            CLIOutput.line()
        }

        static func shellQuoted(_ word: String) -> String {
            let safe = word.allSatisfy { $0.isLetter || $0.isNumber || "-_./:=,@".contains($0) }
            return safe && !word.isEmpty ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
        }
    }

    static func podYAML(logDirectory: String) -> String {
        """
        metadata:
          name: demo-pod
          namespace: default
          uid: demo-pod-uid
        hostname: demo
        log_directory: \(logDirectory)
        labels:
          app: demo
        linux: {}

        """
    }

    static let containerYAML = """
        metadata:
          name: shell
        image:
          image: busybox
        command: [sh, -c, "echo hello from the demo container; echo this line went to stderr >&2; sleep 3600"]
        envs:
          - key: GREETING
            value: hello
        log_path: shell/0.log

        """
}
