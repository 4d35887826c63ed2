import CRIFuzzTargets
import Foundation
import Testing

/// The `Fuzz/` directory of this checkout.
let fuzzDirectory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fuzz")

/// The names of the subdirectories of `Fuzz/<kind>` (files such as a README are not target directories).
func targetDirectories(_ kind: String) -> [String] {
    let base = fuzzDirectory.appendingPathComponent(kind)
    let names = (try? FileManager.default.contentsOfDirectory(atPath: base.path)) ?? []
    return names.filter { name in
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: base.appendingPathComponent(name).path, isDirectory: &isDirectory)
            && isDirectory.boolValue
    }.sorted()
}

/// The files under `Fuzz/<kind>/<target>/`, sorted by name (none when the directory does not exist).
func inputFiles(_ kind: String, _ target: String) -> [URL] {
    let directory = fuzzDirectory.appendingPathComponent(kind).appendingPathComponent(target)
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
    return names.sorted().map { directory.appendingPathComponent($0) }
}

/// Every input that ever crashed a fuzz target (`Fuzz/FailCases/<target>/`) and every committed seed
/// (`Fuzz/Corpus/<target>/`) goes through the same entry point libFuzzer calls, so a fixed crash stays fixed.
/// Under `swift test --sanitize=address` (Scripts/test.sh) the replay also runs with ASan.
@Suite struct FuzzRegressionTests {
    @Test(arguments: FuzzTargets.all.map(\.name))
    func replaysSeedsAndPastCrashes(_ name: String) throws {
        let target = try #require(FuzzTargets.all.first { $0.name == name })
        let seeds = inputFiles("Corpus", name)
        #expect(!seeds.isEmpty, "Fuzz/Corpus/\(name) has no seeds")
        for file in seeds + inputFiles("FailCases", name) {
            let bytes = try [UInt8](Data(contentsOf: file))
            do {
                try bytes.withUnsafeBytes { try target.run($0) }
            } catch {
                Issue.record("\(file.path): \(error)")
            }
        }
    }

    @Test func everyDirectoryNamesATarget() {
        let names = Set(FuzzTargets.all.map(\.name))
        for kind in ["Corpus", "FailCases", "Sources"] {
            for directory in targetDirectories(kind) {
                #expect(names.contains(directory), "Fuzz/\(kind)/\(directory) is no fuzz target (FuzzTargets.all)")
            }
        }
        #expect(Set(targetDirectories("Sources")) == names, "every FuzzTargets entry has an executable in Fuzz/Sources")
    }
}
