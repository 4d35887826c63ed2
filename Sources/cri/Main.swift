#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process entry: runs the command line and exits with its status.
@main
enum Main {
    static func main() async {
        let status = await CLIRunner.run(arguments: Array(CommandLine.arguments.dropFirst()))
        exit(status)
    }
}
