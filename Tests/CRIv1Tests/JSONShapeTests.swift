import CRIWire
import CRIv1
import Foundation
import Testing

/// Our JSON against the shapes crictl prints (protojson) and the inputs it reads (snake_case, numeric enums).
@Suite("JSON shape")
struct JSONShapeTests {
    /// Parses our JSON output with Foundation so tests compare values, not whitespace.
    static func object(_ message: some ProtoMessage, emitDefaults: Bool = false) throws -> [String: Any] {
        let json = message.jsonString(options: JSONEncodingOptions(emitDefaultValues: emitDefaults, prettyPrinted: true))
        let parsed = try JSONSerialization.jsonObject(with: Data(json.utf8))
        return try #require(parsed as? [String: Any], "not an object: \(json)")
    }

    @Test("an Image as crictl shows it: uint64 size as a string, lowerCamel names")
    func image() throws {
        let image = Image {
            $0.id = "sha256:5ef7"
            $0.repoTags = ["docker.io/library/nginx:1.27"]
            $0.size = 29_683_712
            $0.uid = Int64Value { $0.value = 0 }
            $0.pinned = true
        }
        let json = try Self.object(image)
        #expect(json["size"] as? String == "29683712")
        #expect(json["repoTags"] as? [String] == ["docker.io/library/nginx:1.27"])
        #expect((json["uid"] as? [String: Any])?.isEmpty == true, "a set wrapper is printed even when empty")
        #expect(json["pinned"] as? Bool == true)
        #expect(json["username"] == nil)
        let full = try Self.object(image, emitDefaults: true)
        #expect(full["username"] as? String == "")
        #expect(full["repoDigests"] as? [String] == [])
        #expect(full["spec"] == nil, "unset messages are not printed even with defaults (protojson EmitDefaultValues)")
    }

    @Test("a Container: enum names, podSandboxId, int64 createdAt as a string, maps as objects")
    func container() throws {
        let json = try Self.object(GoldenValues.listContainersResponse.containers[0])
        #expect(json["state"] as? String == "CONTAINER_RUNNING")
        #expect(json["podSandboxId"] as? String == "p1")
        #expect(json["imageRef"] as? String == "docker.io/library/nginx@sha256:aaa")
        #expect(json["imageId"] as? String == "sha256:aaa")
        #expect(json["createdAt"] as? String == "1732665600123456789")
        #expect(json["labels"] as? [String: String] == ["io.kubernetes.pod.name": "nginx-pod"])
        #expect((json["metadata"] as? [String: Any])?["name"] as? String == "web")
        let created = try Self.object(Container { $0.state = .containerCreated }, emitDefaults: true)
        #expect(created["state"] as? String == "CONTAINER_CREATED")
        #expect(try Self.object(Container { $0.state = ContainerState(protoValue: 9) })["state"] as? Int == 9)
    }

    @Test("JSON names with capitals: CDIDevices, uidMappings, Full/Avg10")
    func oddNames() throws {
        let config = try Self.object(GoldenValues.createContainerRequest.config!)
        #expect((config["CDIDevices"] as? [[String: Any]])?.first?["name"] as? String == "vendor.com/gpu=0")
        #expect(config["stopSignal"] as? String == "SIGNAL_SIGTERM")
        let mount = try #require((config["mounts"] as? [[String: Any]])?.first)
        #expect((mount["uidMappings"] as? [[String: Any]])?.first?["hostId"] as? Int == 100_000)
        #expect(mount["propagation"] as? String == "PROPAGATION_HOST_TO_CONTAINER")
        let psi = try Self.object(GoldenValues.containerStatsResponse.stats!.cpu!.psi!)
        let full = try #require(psi["Full"] as? [String: Any])
        #expect(full["Total"] as? String == "1000")
        #expect(full["Avg10"] as? Double == 0.5)
        #expect(full["Avg300"] as? Double == 12.0625)
    }

    @Test("KeyValue.value is a plain string in JSON, not base64 (as cri-api api_json.go)")
    func keyValue() throws {
        let env = KeyValue { $0.key = "GREETING"; $0.value = Array("hello wörld".utf8) }
        let json = try Self.object(env)
        #expect(json["value"] as? String == "hello wörld")
        #expect(try KeyValue(jsonString: #"{"key":"A","value":"b c"}"#).value == Array("b c".utf8))
        // Other bytes fields are base64.
        let exec = try Self.object(ExecSyncResponse { $0.stdout = [0xFF, 0x00] })
        #expect(exec["stdout"] as? String == "/wA=")
    }

    @Test("decodes crictl input: snake_case or lowerCamel keys, enum numbers or names, int64 numbers or strings")
    func decoding() throws {
        let snake = try PodSandboxConfig(jsonString: """
            {"metadata": {"name": "nginx", "namespace": "default", "attempt": 1, "uid": "u1"},
             "log_directory": "/tmp", "port_mappings": [{"protocol": 1, "container_port": 80}],
             "linux": {"security_context": {"run_as_user": {"value": 0}, "supplemental_groups": [1, "2"]}}}
            """)
        let camel = try PodSandboxConfig(jsonString: """
            {"metadata": {"name": "nginx", "namespace": "default", "attempt": 1, "uid": "u1"},
             "logDirectory": "/tmp", "portMappings": [{"protocol": "UDP", "containerPort": 80}],
             "linux": {"securityContext": {"runAsUser": {"value": "0"}, "supplementalGroups": ["1", 2]}}}
            """)
        #expect(snake == camel)
        #expect(snake.logDirectory == "/tmp")
        #expect(snake.portMappings.first?.protocol == .udp)
        #expect(snake.linux?.securityContext?.runAsUser == Int64Value())
        #expect(snake.linux?.securityContext?.supplementalGroups == [1, 2])
        let container = try ContainerConfig(jsonString: #"{"CDI_devices": [{"name": "a"}], "stop_signal": 15}"#)
        #expect(container.cdiDevices == [CDIDevice { $0.name = "a" }])
        #expect(container.stopSignal == Signal(protoValue: 15))
        #expect(try Container(jsonString: #"{"created_at": 1732665600123456789}"#).createdAt == 1_732_665_600_123_456_789)
        #expect(try Container(jsonString: #"{"createdAt": "-5", "state": "CONTAINER_EXITED"}"#).state == .containerExited)
    }

    @Test("Signal: prints the 1.37 SIGNAL_ names, still reads the names earlier schemas used")
    func legacySignalNames() throws {
        let old = try ContainerConfig(jsonString: #"{"stop_signal": "SIGKILL"}"#)
        let current = try ContainerConfig(jsonString: #"{"stopSignal": "SIGNAL_SIGKILL"}"#)
        #expect(old.stopSignal == .sigkill)
        #expect(current == old)
        #expect(try ContainerConfig(jsonString: #"{"stop_signal": "RUNTIME_DEFAULT"}"#).stopSignal == .runtimeDefault)
        #expect(try Self.object(old)["stopSignal"] as? String == "SIGNAL_SIGKILL")
        #expect(Signal(protoName: "SIGRTMAXMINUS1") == .sigrtmaxminus1)
        #expect(Signal.sigusr1.protoName == "SIGNAL_SIGUSR1")
        // Only Signal gained a prefix: other enums do not accept made-up short names.
        #expect(ContainerState(protoName: "RUNNING") == nil)
        #expect(throws: ProtoDecodingError.self) { try ContainerConfig(jsonString: #"{"stop_signal": "KILL"}"#) }
    }

    @Test("unknown keys are reported with their path, or rejected when asked")
    func unknownKeys() throws {
        var unknown: [String] = []
        let config = try PodSandboxConfig(
            jsonUTF8: Array(#"{"metadata": {"nmae": "x", "name": "y"}, "hostnme": "h"}"#.utf8),
            unknownFieldPaths: &unknown
        )
        #expect(config.metadata?.name == "y")
        #expect(unknown == ["metadata.nmae", "hostnme"])
        #expect(throws: ProtoDecodingError(code: .unknownJSONField, reason: "")) {
            try PodSandboxConfig(jsonString: #"{"metadata": {"nmae": "x"}}"#, options: JSONDecodingOptions(rejectUnknownFields: true))
        }
    }

    @Test("type mismatches and bad enum names throw with the field path")
    func mismatches() {
        #expect(throws: ProtoDecodingError.self) { try Container(jsonString: #"{"state": "RUNNING"}"#) }
        #expect(throws: ProtoDecodingError.self) { try Container(jsonString: #"{"metadata": "x"}"#) }
        #expect(throws: ProtoDecodingError.self) { try Container(jsonString: #"{"labels": []}"#) }
        #expect(throws: ProtoDecodingError.self) { try PortForwardRequest(jsonString: #"{"port": [1.5]}"#) }
        do {
            _ = try PodSandboxConfig(jsonString: #"{"metadata": {"attempt": "x"}}"#)
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("metadata.attempt"), "\(error)")
        }
    }

    @Test("every golden survives a JSON round trip")
    func goldensThroughJSON() throws {
        #expect(try RunPodSandboxRequest(jsonString: GoldenValues.runPodSandboxRequest.jsonString()) == GoldenValues.runPodSandboxRequest)
        // The one env value that is not UTF-8 cannot survive a plain-string JSON form: like Go's encoding/json it
        // becomes U+FFFD. Everything else round trips.
        var create = GoldenValues.createContainerRequest
        let lossy = try CreateContainerRequest(jsonString: create.jsonString())
        #expect(lossy.config?.envs[1].value == [0x01, 0xEF, 0xBF, 0xBD])
        create.config?.envs.remove(at: 1)
        #expect(try CreateContainerRequest(jsonString: create.jsonString()) == create)
        #expect(try ContainerStatsResponse(jsonString: GoldenValues.containerStatsResponse.jsonString()) == GoldenValues.containerStatsResponse)
        #expect(try ListImagesResponse(jsonString: GoldenValues.listImagesResponse.jsonString()) == GoldenValues.listImagesResponse)
    }
}
