// swift-tools-version:6.2
import PackageDescription

/// Hummingbird's house settings: `any` spelled out, imports visible only where declared,
/// and `public import` marking every module that leaks into a public API.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "leopost",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "leopost", targets: ["leopost"]),
        .library(name: "LeopostCore", targets: ["LeopostCore"]),
        // The plugin kit, for platform plugins written in Swift outside this repository.
        .library(name: "LeopostPluginKit", targets: ["LeopostPluginKit"]),
        // The shipped platform plugins: shared libraries Leopost loads at run time, never links.
        .library(name: "LeopostPlatformMastodon", type: .dynamic, targets: ["MastodonPlatform"]),
        .library(name: "LeopostPlatformX", type: .dynamic, targets: ["XPlatform"]),
        .library(name: "LeopostPlatformLinkedIn", type: .dynamic, targets: ["LinkedInPlatform"]),
        .library(name: "LeopostPlatformMeta", type: .dynamic, targets: ["MetaPlatform"]),
        .library(name: "LeopostPlatformWebhook", type: .dynamic, targets: ["WebhookPlatform"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    ],
    targets: [
        // One system-library target per C library of the design; each is wrapped once, in LeopostCore.
        .systemLibrary(name: "CHiredis", path: "Core/CLibraries/CHiredis"),
        .systemLibrary(name: "CLibPQ", path: "Core/CLibraries/CLibPQ"),
        .systemLibrary(name: "CCurl", path: "Core/CLibraries/CCurl"),
        .systemLibrary(name: "COpenSSL", path: "Core/CLibraries/COpenSSL"),
        .systemLibrary(
            name: "CGMime", path: "Core/CLibraries/CGMime", pkgConfig: "gmime-3.0", providers: [.apt(["libgmime-3.0-dev"])]),
        // The platform plugin ABI (Platforms/include/leopost_platform.h): the host and every plugin
        // see the same C types, and nothing else crosses between them.
        .systemLibrary(name: "CLeopostPlatform", path: "Platforms/include"),

        .target(
            name: "LeopostCore",
            dependencies: [
                "CHiredis", "CLibPQ", "CCurl", "COpenSSL", "CGMime", "CLeopostPlatform",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Core",
            exclude: ["CLibraries"],
            resources: [],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "LeopostPluginKit",
            dependencies: ["CLeopostPlatform"],
            path: "Platforms/PluginKit",
            swiftSettings: swiftSettings
        ),
        // One target per shipped plugin; each is built as its own shared library (see products).
        .target(
            name: "MastodonPlatform",
            dependencies: ["CLeopostPlatform", "LeopostPluginKit"],
            path: "Platforms/Plugins/Mastodon",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "XPlatform",
            dependencies: ["CLeopostPlatform", "LeopostPluginKit"],
            path: "Platforms/Plugins/X",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "LinkedInPlatform",
            dependencies: ["CLeopostPlatform", "LeopostPluginKit"],
            path: "Platforms/Plugins/LinkedIn",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "MetaPlatform",
            dependencies: ["CLeopostPlatform", "LeopostPluginKit"],
            path: "Platforms/Plugins/Meta",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "WebhookPlatform",
            dependencies: ["CLeopostPlatform", "LeopostPluginKit"],
            path: "Platforms/Plugins/Webhook",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "LeopostProviders",
            dependencies: ["LeopostCore"],
            path: "Providers",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "LeopostChannels",
            dependencies: [
                "LeopostCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Channels",
            // The web chat's page: HTML, CSS and the script's modules, served as they are.
            resources: [.copy("Web/Resources")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "leopost",
            dependencies: [
                "LeopostCore", "LeopostChannels", "LeopostProviders",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            path: "App",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "LeopostTestSupport",
            dependencies: [
                "LeopostCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/Support",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CoreTests",
            dependencies: [
                "LeopostCore", "LeopostTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/CoreTests",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CLITests",
            dependencies: [
                "leopost", "LeopostCore", "LeopostTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/CLITests",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "leopost-bench",
            dependencies: [
                "LeopostCore", "LeopostProviders", "LeopostChannels", "LeopostTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/Benchmarks",
            // The no-op platform plugin, C, built by `make bench` beside the shipped plugins.
            exclude: ["NoopPlugin"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ProvidersTests",
            dependencies: [
                "LeopostCore", "LeopostProviders", "LeopostTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Tests/ProvidersTests",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PlatformsTests",
            dependencies: [
                "LeopostCore", "LeopostTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/PlatformsTests",
            // Plugin sources the tests compile themselves with cc, into libraries they then load.
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ChannelsTests",
            dependencies: [
                "LeopostCore", "LeopostChannels", "LeopostProviders", "LeopostTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/ChannelsTests",
            swiftSettings: swiftSettings
        ),
    ]
)
