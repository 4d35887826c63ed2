import Testing

/// The gRPC tests run one at a time: some move tens of megabytes and some measure deadlines to
/// within 100 ms, which the two shared cores cannot do at once.
@Suite(.serialized) struct GRPCTests {}
