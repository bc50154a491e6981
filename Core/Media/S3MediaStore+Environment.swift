extension S3MediaStore.Configuration {
    /// The S3-compatible bucket named by `LEOPOST_MEDIA_S3_URL` (the endpoint), `_BUCKET`,
    /// `_REGION` (default `us-east-1`), `_ACCESS_KEY_ID` and `_SECRET_ACCESS_KEY`; `nil` when no
    /// endpoint is set (media then stay in the data directory).
    /// - Throws: `ConfigurationError` naming the first missing or bad variable.
    static func from(_ value: (String) -> String?) throws -> Self? {
        guard let endpoint = value("LEOPOST_MEDIA_S3_URL") else { return nil }
        guard PluginOrigin(url: endpoint) != nil else {
            throw ConfigurationError(variable: "LEOPOST_MEDIA_S3_URL", message: "expected http(s)://host[:port] of an S3-compatible store")
        }
        func required(_ name: String) throws -> String {
            guard let text = value(name) else {
                throw ConfigurationError(variable: name, message: "required with LEOPOST_MEDIA_S3_URL")
            }
            return text
        }
        let bucket = try required("LEOPOST_MEDIA_S3_BUCKET")
        guard bucket.count >= 3, bucket.count <= 63, bucket.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "-" || $0 == "." }) else {
            throw ConfigurationError(variable: "LEOPOST_MEDIA_S3_BUCKET", message: "expected an S3 bucket name (3 to 63 of a-z, 0-9, '-', '.')")
        }
        return Self(
            endpoint: endpoint, bucket: bucket,
            signature: AWSSignature(
                region: value("LEOPOST_MEDIA_S3_REGION") ?? "us-east-1", accessKeyID: try required("LEOPOST_MEDIA_S3_ACCESS_KEY_ID"),
                secretAccessKey: try required("LEOPOST_MEDIA_S3_SECRET_ACCESS_KEY")))
    }
}
