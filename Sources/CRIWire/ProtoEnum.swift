/// A proto3 enum: open, so numbers this schema does not know survive a round trip.
public protocol ProtoEnum: Sendable, Hashable, CaseIterable {
    /// The value for a wire number; unknown numbers become an `unrecognized` case.
    init(protoValue: Int32)
    /// The wire number.
    var protoValue: Int32 { get }
    /// The value named `name` in the schema (e.g. `CONTAINER_RUNNING`), if any.
    init?(protoName: String)
    /// The schema name, or nil for an unrecognized number.
    var protoName: String? { get }
}
