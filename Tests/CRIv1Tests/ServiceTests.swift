import CRIWire
import CRIv1
import Testing

@Suite("Service descriptors")
struct ServiceTests {
    @Test("43 methods, 7 server-streaming, with the paths gRPC uses")
    func methods() {
        #expect(RuntimeService.allMethods.count == 37)
        #expect(ImageService.allMethods.count == 6)
        #expect(CRIv1Schema.allMethods.count == 43)
        #expect(CRIv1Schema.allMethods.filter(\.isServerStreaming).map(\.methodName).sorted() == [
            "GetContainerEvents", "StreamContainerStats", "StreamContainers", "StreamImages", "StreamPodSandboxMetrics",
            "StreamPodSandboxStats", "StreamPodSandboxes",
        ])
        #expect(RuntimeService.version.path == "/runtime.v1.RuntimeService/Version")
        #expect(ImageService.pullImage.path == "/runtime.v1.ImageService/PullImage")
        #expect(RuntimeService.getContainerEvents.isServerStreaming)
        let events = CRIv1Schema.allMethods.first { $0.methodName == "GetContainerEvents" }
        #expect(events?.requestType == GetEventsRequest.self)
        #expect(events?.responseType == ContainerEventResponse.self)
        #expect(Set(CRIv1Schema.allMethods.map(\.path)).count == 43)
    }

    @Test("typed descriptors carry their message types")
    func typed() {
        let method: ProtoMethod<ListContainersRequest, ListContainersResponse> = RuntimeService.listContainers
        #expect(method.methodName == "ListContainers")
        #expect(!method.isServerStreaming)
    }

    @Test("enums: open, defaults at zero, names round trip")
    func enums() {
        #expect(ContainerState() == .containerCreated)
        #expect(ContainerState(protoValue: 1) == .containerRunning)
        #expect(ContainerState(protoValue: 42) == .unrecognized(42))
        #expect(ContainerState.unrecognized(42).protoName == nil)
        #expect(ContainerState(protoName: "CONTAINER_EXITED") == .containerExited)
        #expect(ContainerState.allCases.count == 4)
        #expect(Signal.allCases.count == 66)
        #expect(SecurityProfile.ProfileType(protoName: "RuntimeDefault") == .runtimeDefault)
        #expect(ProtocolEnum.udp.protoName == "UDP")
        for value in Signal.allCases {
            #expect(Signal(protoValue: value.protoValue) == value)
            #expect(Signal(protoName: value.protoName!) == value)
        }
    }
}
