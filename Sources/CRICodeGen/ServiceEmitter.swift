/// Emits the service method tables and the schema registry.
struct ServiceEmitter {
    let types: TypeTable

    func emitMethodDescriptor(into out: inout CodeWriter) {
        out.doc([
            "One RPC without its generic types, so a table can list every method of a service",
            "(e.g. for routing by path in a server, or for tests that visit every method).",
        ])
        out.block("public struct MethodDescriptor: Sendable {") { out in
            out.doc(["The fully qualified service name, e.g. `runtime.v1.RuntimeService`."])
            out.line("public let serviceName: String")
            out.doc(["The method name, e.g. `Version`."])
            out.line("public let methodName: String")
            out.doc(["True for `returns (stream Response)`."])
            out.line("public let isServerStreaming: Bool")
            out.doc(["The request message type."])
            out.line("public let requestType: any ProtoMessage.Type")
            out.doc(["The response message type."])
            out.line("public let responseType: any ProtoMessage.Type")
            out.line()
            out.doc(["Erases the message types of a typed method."])
            out.block("public init<Request, Response>(_ method: ProtoMethod<Request, Response>) {") { out in
                out.line("serviceName = method.serviceName")
                out.line("methodName = method.methodName")
                out.line("isServerStreaming = method.isServerStreaming")
                out.line("requestType = Request.self")
                out.line("responseType = Response.self")
            }
            out.line()
            out.doc(["The HTTP/2 `:path`, e.g. `/runtime.v1.RuntimeService/Version`."])
            out.line("public var path: String { \"/\\(serviceName)/\\(methodName)\" }")
        }
    }

    func emit(_ service: ServiceDefinition, into out: inout CodeWriter) throws(GeneratorError) {
        let swiftName = SwiftNaming.typeName(forProtoName: service.name, isEnum: false)
        out.doc((service.comment.isEmpty ? ["The `\(service.fullName)` service."] : service.comment)
            + ["", "Proto service `\(service.fullName)`: one typed ``ProtoMethod`` per RPC."])
        var failure: GeneratorError?
        out.block("public enum \(swiftName) {") { out in
            out.doc(["The fully qualified service name, the first segment of every method path."])
            out.line("public static let serviceName = \"\(service.fullName)\"")
            var groupComment: [String] = []
            for method in service.methods {
                if !method.comment.isEmpty { groupComment = method.comment }
                do throws(GeneratorError) {
                    let request = try types.swiftType(method.requestType)
                    let response = try types.swiftType(method.responseType)
                    if method.isClientStreaming {
                        throw GeneratorError("rpc \(method.name): client streaming is not supported")
                    }
                    let kind = method.isServerStreaming ? "server-streaming" : "unary"
                    out.line()
                    out.doc(["`\(method.name)` (\(kind)): `\(request)` → `\(response)`."]
                        + (groupComment.isEmpty ? [] : [""] + groupComment))
                    out.line(
                        "public static let \(SwiftNaming.methodPropertyName(forRPC: method.name)) = ProtoMethod<\(request), \(response)>("
                    )
                    out.line(
                        "    serviceName: serviceName, methodName: \"\(method.name)\", isServerStreaming: \(method.isServerStreaming))"
                    )
                } catch {
                    failure = error
                }
            }
            out.line()
            out.doc(["Every method in declaration order."])
            out.block("public static let allMethods: [MethodDescriptor] = [", closing: "]") { out in
                for method in service.methods {
                    out.line("MethodDescriptor(\(SwiftNaming.methodPropertyName(forRPC: method.name))),")
                }
            }
        }
        if let failure { throw failure }
    }

    func emitRegistry(_ file: SchemaFile, into out: inout CodeWriter) throws(GeneratorError) {
        out.doc(["The whole generated schema, for tests and tools that visit every type."])
        var failure: GeneratorError?
        out.block("public enum CRIv1Schema {") { out in
            out.doc(["The proto package, `\(file.package)`."])
            out.line("public static let protoPackage = \"\(file.package)\"")
            out.line()
            out.doc(["Every message type (\(file.allMessages.count)), nested ones included, in schema order."])
            out.block("public static let allMessageTypes: [any ProtoMessage.Type] = [", closing: "]") { out in
                for message in file.allMessages {
                    do throws(GeneratorError) {
                        out.line("\(try types.swiftType(message.fullName)).self,")
                    } catch {
                        failure = error
                    }
                }
            }
            out.line()
            out.doc(["Every method of every service, in schema order."])
            let services = file.services.map { SwiftNaming.typeName(forProtoName: $0.name, isEnum: false) + ".allMethods" }
            out.line("public static let allMethods: [MethodDescriptor] = \(services.isEmpty ? "[]" : services.joined(separator: " + "))")
        }
        if let failure { throw failure }
    }
}
