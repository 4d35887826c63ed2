import CRI

/// The configuration checks a real runtime makes before it creates anything, with containerd's
/// codes (UNKNOWN: containerd returns plain Go errors) and message forms. The forms were read off
/// containerd 1.6 where it has the check (run-as-group, runtime handlers, spec errors); the user
/// namespace and recursive read-only checks follow containerd 2.x, since 1.6 ignores those fields.
extension FakeRuntime {
    /// RunPodSandbox's checks: a runtime handler this runtime has, a group only with a user, and a
    /// user namespace configuration containerd would accept.
    func validateSandbox(_ config: PodSandboxConfig, runtimeHandler: String) throws(CRIError) {
        guard configuration.runtimeHandlers.contains(runtimeHandler) else {
            throw CRIError(
                code: .unknown, message: "failed to get sandbox runtime: no runtime for \"\(runtimeHandler)\" is configured")
        }
        let security = config.linux?.securityContext
        if let group = security?.runAsGroup, security?.runAsUser == nil {
            // "sanbdox" is containerd 1.6's own spelling; kept so the message matches byte for byte.
            throw CRIError(
                code: .unknown,
                message:
                    "failed to generate sanbdox container spec options: failed to generate user string: user group \"\(group.value)\" is specified without user"
            )
        }
        if let userns = security?.namespaceOptions?.usernsOptions { try validateUserNamespace(userns) }
    }

    /// CreateContainer's checks: a group only with a user (by ID or name), a valid user namespace
    /// configuration, and recursive read-only mounts that are read-only with private propagation.
    func validateContainer(_ config: ContainerConfig, id: String) throws(CRIError) {
        let security = config.linux?.securityContext
        if let group = security?.runAsGroup, security?.runAsUser == nil, security?.runAsUsername.isEmpty ?? true {
            throw CRIError(
                code: .unknown,
                message:
                    "failed to get container spec opts: failed to generate user string: user group \"\(group.value)\" is specified without user"
            )
        }
        if let userns = security?.namespaceOptions?.usernsOptions { try validateUserNamespace(userns) }
        for mount in config.mounts where mount.recursiveReadOnly {
            var problem: String?
            if mount.propagation != .propagationPrivate {
                problem = "needs private propagation, got \"\(mount.propagation.protoName ?? "\(mount.propagation)")\""
            } else if !mount.readonly {
                problem = "conflicts with RW mount"
            }
            if let problem {
                throw CRIError(
                    code: .unknown,
                    message:
                        "failed to generate container \"\(id)\" spec: failed to generate spec: recursive read-only mount \(problem) (hostPath=\"\(mount.hostPath)\")"
                )
            }
        }
    }

    /// containerd 2.x's rules: at most one mapping line of non-zero length per kind; mode NODE
    /// without mappings, mode POD with both; no other mode.
    private func validateUserNamespace(_ userns: UserNamespace) throws(CRIError) {
        func fail(_ reason: String) -> CRIError {
            CRIError(code: .unknown, message: "user namespace configuration: \(reason)")
        }
        for (kind, mappings) in [("UID", userns.uids), ("GID", userns.gids)] {
            if mappings.count > 1 {
                throw fail("\(kind) mapping: only one mapping line supported, got \(mappings.count) mapping lines")
            }
            if let mapping = mappings.first, mapping.length < 1 {
                throw fail("\(kind) mapping: invalid mapping length: \(mapping.length)")
            }
        }
        let mode = "\"\(userns.mode.protoName ?? "\(userns.mode)")\""
        switch userns.mode {
        case .node where !userns.uids.isEmpty || !userns.gids.isEmpty:
            throw fail(
                "can't use user namespace mode \(mode) with mappings. Got \(userns.uids.count) UID mappings and \(userns.gids.count) GID mappings"
            )
        case .pod where userns.uids.isEmpty || userns.gids.isEmpty:
            throw fail("can't use user namespace mode \(mode) without UID and GID mappings")
        case .node, .pod:
            return
        default:
            throw fail("unsupported user namespace mode: \(mode)")
        }
    }
}
