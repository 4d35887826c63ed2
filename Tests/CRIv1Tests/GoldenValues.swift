import CRIWire
import CRIv1

/// The Swift values that the protoc goldens in Fixtures/ encode, written by hand from the .txtpb files.
enum GoldenValues {
    static let runPodSandboxRequest = RunPodSandboxRequest {
        $0.config = PodSandboxConfig {
            $0.metadata = PodSandboxMetadata {
                $0.name = "nginx-pod"
                $0.uid = "7f2c5a0e-0b1c-4d2e-9f3a-1b2c3d4e5f60"
                $0.namespace = "default"
                $0.attempt = 1
            }
            $0.hostname = "nginx-pod"
            $0.logDirectory = "/var/log/pods/default_nginx-pod_7f2c5a0e"
            $0.dnsConfig = DNSConfig {
                $0.servers = ["10.96.0.10"]
                $0.searches = ["default.svc.cluster.local", "svc.cluster.local"]
                $0.options = ["ndots:5"]
            }
            $0.portMappings = [
                PortMapping {
                    $0.protocol = .udp
                    $0.containerPort = 53
                    $0.hostPort = 5353
                    $0.hostIp = "127.0.0.1"
                },
                PortMapping { $0.containerPort = 80 },
            ]
            $0.labels = ["app": "nginx"]
            $0.annotations = ["kubernetes.io/config.source": "api"]
            $0.linux = LinuxPodSandboxConfig {
                $0.cgroupParent = "/kubepods/besteffort/pod7f2c5a0e"
                $0.securityContext = LinuxSandboxSecurityContext {
                    $0.namespaceOptions = NamespaceOption {
                        $0.network = .node
                        $0.pid = .container
                        $0.usernsOptions = UserNamespace {
                            $0.mode = .pod
                            $0.uids = [IDMapping { $0.hostID = 65536; $0.containerID = 0; $0.length = 65536 }]
                            $0.gids = [IDMapping { $0.hostID = 65536; $0.containerID = 0; $0.length = 65536 }]
                        }
                    }
                    $0.selinuxOptions = SELinuxOption {
                        $0.user = "system_u"
                        $0.role = "system_r"
                        $0.type = "spc_t"
                        $0.level = "s0"
                    }
                    $0.runAsUser = Int64Value { $0.value = 0 }
                    $0.runAsGroup = Int64Value { $0.value = 1000 }
                    $0.readonlyRootfs = true
                    $0.supplementalGroups = [1, 2, 65534]
                    $0.supplementalGroupsPolicy = .strict
                    $0.privileged = false
                    $0.seccomp = SecurityProfile {
                        $0.profileType = .localhost
                        $0.localhostRef = "profiles/audit.json"
                    }
                    $0.apparmor = SecurityProfile { $0.profileType = .runtimeDefault }
                    $0.seccompProfilePath = "runtime/default"
                }
                $0.sysctls = ["net.ipv4.ip_unprivileged_port_start": "0"]
                $0.overhead = LinuxContainerResources {
                    $0.cpuShares = 2
                    $0.memoryLimitInBytes = 134_217_728
                }
            }
        }
        $0.runtimeHandler = "runc"
    }

    static let execSyncResponse = ExecSyncResponse {
        $0.stdout = Array("hello\n".utf8) + [0xFF, 0x00]
        $0.stderr = Array("warning: x\n".utf8)
        $0.exitCode = -1
    }

    static let createContainerRequest = CreateContainerRequest {
        $0.podSandboxID = "5c4e3b2a1f0e"
        $0.config = ContainerConfig {
            $0.metadata = ContainerMetadata { $0.name = "web"; $0.attempt = 2 }
            $0.image = ImageSpec {
                $0.image = "docker.io/library/nginx:1.27"
                $0.userSpecifiedImage = "nginx:1.27"
                $0.runtimeHandler = "runc"
                $0.imageRef = "sha256:abc"
            }
            $0.command = ["/docker-entrypoint.sh"]
            $0.args = ["nginx", "-g", "daemon off;"]
            $0.workingDir = "/usr/share/nginx"
            $0.envs = [
                KeyValue { $0.key = "PATH"; $0.value = Array("/usr/local/sbin:/usr/local/bin".utf8) },
                KeyValue { $0.key = "BINARY"; $0.value = [0x01, 0xFF] },
                KeyValue { $0.key = "EMPTY" },
            ]
            $0.mounts = [
                Mount {
                    $0.containerPath = "/etc/hosts"
                    $0.hostPath = "/var/lib/kubelet/pods/x/etc-hosts"
                    $0.readonly = true
                    $0.propagation = .propagationHostToContainer
                    $0.uidMappings = [IDMapping { $0.hostID = 100_000; $0.length = 65536 }]
                    $0.gidMappings = [IDMapping { $0.hostID = 100_000; $0.length = 65536 }]
                    $0.recursiveReadOnly = true
                    $0.image = ImageSpec { $0.image = "registry.k8s.io/data:1" }
                    $0.imageSubPath = "sub"
                    $0.mountOptions = ["noexec", "nosuid"]
                }
            ]
            $0.devices = [Device { $0.containerPath = "/dev/fuse"; $0.hostPath = "/dev/fuse"; $0.permissions = "rwm" }]
            $0.labels = ["io.kubernetes.container.name": "web"]
            $0.annotations = ["io.kubernetes.container.hash": "1a2b3c"]
            $0.logPath = "web/2.log"
            $0.stdin = true
            $0.tty = true
            $0.linux = LinuxContainerConfig {
                $0.resources = LinuxContainerResources {
                    $0.cpuPeriod = 100_000
                    $0.cpuQuota = 50000
                    $0.cpuShares = 512
                    $0.memoryLimitInBytes = 268_435_456
                    $0.oomScoreAdj = -998
                    $0.cpusetCpus = "0-1"
                    $0.hugepageLimits = [HugepageLimit { $0.pageSize = "2MB"; $0.limit = 1_073_741_824 }]
                    $0.unified = ["memory.high": "200000000"]
                    $0.memorySwapLimitInBytes = 268_435_456
                }
                $0.securityContext = LinuxContainerSecurityContext {
                    $0.capabilities = Capability {
                        $0.addCapabilities = ["NET_ADMIN"]
                        $0.dropCapabilities = ["ALL"]
                    }
                    $0.runAsUser = Int64Value { $0.value = 101 }
                    $0.runAsUsername = "nginx"
                    $0.supplementalGroups = [101, 4_294_967_296]
                    $0.noNewPrivs = true
                    $0.maskedPaths = ["/proc/kcore"]
                    $0.readonlyPaths = ["/proc/sys"]
                    $0.seccomp = SecurityProfile { $0.profileType = .runtimeDefault }
                    $0.apparmorProfile = "runtime/default"
                    $0.seccompProfilePath = "localhost/x.json"
                }
            }
            $0.cdiDevices = [CDIDevice { $0.name = "vendor.com/gpu=0" }]
            $0.stopSignal = .sigterm
        }
        $0.sandboxConfig = PodSandboxConfig {
            $0.metadata = PodSandboxMetadata { $0.name = "nginx-pod"; $0.uid = "u"; $0.namespace = "default" }
        }
    }

    static let listContainersResponse = ListContainersResponse {
        $0.containers = [
            Container {
                $0.id = "c1"
                $0.podSandboxID = "p1"
                $0.metadata = ContainerMetadata { $0.name = "web"; $0.attempt = 0 }
                $0.image = ImageSpec { $0.image = "sha256:aaa" }
                $0.imageRef = "docker.io/library/nginx@sha256:aaa"
                $0.state = .containerRunning
                $0.createdAt = 1_732_665_600_123_456_789
                $0.labels = ["io.kubernetes.pod.name": "nginx-pod"]
                $0.annotations = ["io.kubernetes.container.restartCount": "0"]
                $0.imageID = "sha256:aaa"
            },
            Container {
                $0.id = "c2"
                $0.podSandboxID = "p1"
                $0.metadata = ContainerMetadata { $0.name = "sidecar"; $0.attempt = 3 }
                $0.image = ImageSpec { $0.image = "sha256:bbb" }
                $0.state = .containerExited
                $0.createdAt = 1
            },
            Container {
                $0.id = "c3"
                $0.podSandboxID = "p2"
                $0.metadata = ContainerMetadata { $0.name = "init" }
                $0.state = .containerCreated
            },
            Container { $0.id = "c4"; $0.state = .containerUnknown },
        ]
    }

    static let listContainersRequest = ListContainersRequest {
        $0.filter = ContainerFilter {
            $0.state = ContainerStateValue { $0.state = .containerCreated }
            $0.podSandboxID = "p1"
            $0.labelSelector = ["app": "nginx"]
        }
    }

    static let containerStatsResponse = ContainerStatsResponse {
        $0.stats = ContainerStats {
            $0.attributes = ContainerAttributes {
                $0.id = "c1"
                $0.metadata = ContainerMetadata { $0.name = "web"; $0.attempt = 1 }
                $0.labels = ["app": "web"]
            }
            $0.cpu = CpuUsage {
                $0.timestamp = 1_732_665_600_000_000_000
                $0.usageCoreNanoSeconds = UInt64Value { $0.value = 123_456_789_012 }
                $0.usageNanoCores = UInt64Value { $0.value = 0 }
                $0.psi = PsiStats {
                    $0.full = PsiData { $0.total = 1000; $0.avg10 = 0.5; $0.avg60 = 1.25; $0.avg300 = 12.0625 }
                    $0.some = PsiData { $0.total = 2000; $0.avg10 = 0; $0.avg60 = 0.1; $0.avg300 = 99.99 }
                }
            }
            $0.memory = MemoryUsage {
                $0.timestamp = 1_732_665_600_000_000_001
                $0.workingSetBytes = UInt64Value { $0.value = 10_485_760 }
                $0.availableBytes = UInt64Value()
                $0.usageBytes = UInt64Value { $0.value = .max }
                $0.rssBytes = UInt64Value()
                $0.pageFaults = UInt64Value { $0.value = 42 }
            }
            $0.writableLayer = FilesystemUsage {
                $0.timestamp = 5
                $0.fsID = FilesystemIdentifier { $0.mountpoint = "/var/lib/containerd" }
                $0.usedBytes = UInt64Value { $0.value = 4096 }
                $0.inodesUsed = UInt64Value()
            }
            $0.swap = SwapUsage {
                $0.timestamp = 6
                $0.swapAvailableBytes = UInt64Value()
                $0.swapUsageBytes = UInt64Value { $0.value = 1 }
            }
            $0.io = IoUsage { $0.timestamp = 7 }
        }
    }

    static let listImagesResponse = ListImagesResponse {
        $0.images = [
            Image {
                $0.id = "sha256:5ef79149e0ec84a7a9f9284c3f91aa3c20608f8391f5445eabe92ef07dbda03c"
                $0.repoTags = ["docker.io/library/nginx:1.27"]
                $0.repoDigests = ["docker.io/library/nginx@sha256:5ef7"]
                $0.size = 29_683_712
                $0.uid = Int64Value { $0.value = 0 }
                $0.spec = ImageSpec { $0.image = "docker.io/library/nginx:1.27"; $0.annotations = ["k": "v"] }
                $0.pinned = true
            },
            Image {
                $0.id = "sha256:pause"
                $0.repoTags = ["registry.k8s.io/pause:3.10"]
                $0.size = 320_368
                $0.username = "65535"
            },
        ]
    }

    static let pullImageRequest = PullImageRequest {
        $0.image = ImageSpec { $0.image = "registry.example.com/app:v1" }
        $0.auth = AuthConfig {
            $0.username = "robot"
            $0.password = "s3cret"
            $0.auth = "cm9ib3Q6czNjcmV0"
            $0.serverAddress = "registry.example.com"
            $0.identityToken = "id-token"
            $0.registryToken = "reg-token"
        }
        $0.sandboxConfig = PodSandboxConfig { $0.metadata = PodSandboxMetadata { $0.name = "p" } }
    }

    static let listMetricDescriptorsResponse = ListMetricDescriptorsResponse {
        $0.descriptors = [
            MetricDescriptor {
                $0.name = "container_cpu_usage_seconds_total"
                $0.help = "Cumulative cpu time consumed"
                $0.labelKeys = ["container", "pod"]
            }
        ]
    }

    static let listPodSandboxMetricsResponse = ListPodSandboxMetricsResponse {
        $0.podMetrics = [
            PodSandboxMetrics {
                $0.podSandboxID = "p1"
                $0.metrics = [
                    Metric {
                        $0.name = "network_receive_bytes_total"
                        $0.timestamp = 1_732_665_600
                        $0.metricType = .counter
                        $0.labelValues = ["eth0"]
                        $0.value = UInt64Value { $0.value = 1234 }
                    }
                ]
                $0.containerMetrics = [
                    ContainerMetrics {
                        $0.containerID = "c1"
                        $0.metrics = [
                            Metric {
                                $0.name = "memory_usage_bytes"
                                $0.timestamp = 1_732_665_601
                                $0.metricType = .gauge
                                $0.value = UInt64Value()
                            }
                        ]
                    }
                ]
            }
        ]
    }

    static let portForwardRequest = PortForwardRequest {
        $0.podSandboxID = "p1"
        $0.port = [80, 443, -1]
    }

    static let statusResponse = StatusResponse {
        $0.status = RuntimeStatus {
            $0.conditions = [
                RuntimeCondition { $0.type = "RuntimeReady"; $0.status = true },
                RuntimeCondition {
                    $0.type = "NetworkReady"
                    $0.status = false
                    $0.reason = "NetworkPluginNotReady"
                    $0.message = "cni plugin not initialized"
                },
            ]
        }
        $0.info = [
            "config": #"{"containerd":{"snapshotter":"overlayfs"}}"#,
            "golang": #""go1.24.6""#,
            "lastCNILoadStatus": "OK",
            "lastCNILoadStatus.default": "OK",
        ]
        $0.runtimeHandlers = [
            RuntimeHandler {
                $0.name = ""
                $0.features = RuntimeHandlerFeatures { $0.recursiveReadOnlyMounts = true; $0.userNamespaces = true }
            },
            RuntimeHandler { $0.name = "runc"; $0.features = RuntimeHandlerFeatures { $0.userNamespaces = true } },
        ]
        $0.features = RuntimeFeatures { $0.supplementalGroupsPolicy = true; $0.mountOptions = true }
    }
}
