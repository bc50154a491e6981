/// AWS Signature Version 4 for one request, computed by libcurl itself (`CURLOPT_AWS_SIGV4`):
/// S3 and the stores that speak its API (MinIO, Ceph, Garage, R2) take it.
///
/// libcurl signs the headers it sends; set `x-amz-content-sha256` to the body's SHA-256 (hex) so
/// the payload is signed too, as S3 requires.
public struct AWSSignature: Sendable, Equatable, CustomStringConvertible {
    /// The region (`us-east-1`, or what the store expects).
    public var region: String
    /// The service (`s3`).
    public var service: String
    /// The access key id.
    public var accessKeyID: String
    /// The secret access key; never logged (`description` leaves it out).
    public var secretAccessKey: String

    /// Creates a signature.
    public init(region: String, service: String = "s3", accessKeyID: String, secretAccessKey: String) {
        self.region = region
        self.service = service
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
    }

    /// `CURLOPT_AWS_SIGV4`'s parameter: `aws:amz:<region>:<service>`.
    var curlParameter: String { "aws:amz:\(region):\(service)" }

    public var description: String { "AWSSignature(\(region)/\(service), key \(accessKeyID))" }
}
