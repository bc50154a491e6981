import CHiredis
import NIOCore

extension Array where Element == [UInt8] {
    /// Lays the arguments out in one buffer and hands hiredis the argv/argvlen arrays it wants.
    func withArgv<R>(
        _ body: (Int32, UnsafeMutablePointer<UnsafePointer<CChar>?>, UnsafePointer<Int>) -> R
    ) -> R {
        let joined = self.flatMap { $0 }
        return joined.withUnsafeBufferPointer { storage in
            let base = UnsafeRawPointer(storage.baseAddress) ?? UnsafeRawPointer(bitPattern: 1)!
            var pointers: [UnsafePointer<CChar>?] = []
            var lengths: [Int] = []
            pointers.reserveCapacity(count)
            lengths.reserveCapacity(count)
            var offset = 0
            for argument in self {
                pointers.append((base + offset).assumingMemoryBound(to: CChar.self))
                lengths.append(argument.count)
                offset += argument.count
            }
            return pointers.withUnsafeMutableBufferPointer { argv in
                lengths.withUnsafeBufferPointer { argvlen in
                    body(Int32(count), argv.baseAddress!, argvlen.baseAddress!)
                }
            }
        }
    }
}

extension RedisCommand {
    /// Appends the command in Redis's wire format, as hiredis formats it, for a shared connection.
    func write(into buffer: inout ByteBuffer) {
        arguments.withArgv { argc, argv, lengths in
            var formatted: UnsafeMutablePointer<CChar>?
            let length = redisFormatCommandArgv(&formatted, argc, argv, lengths)
            guard let formatted, length > 0 else { return }
            defer { redisFreeCommand(formatted) }
            buffer.writeBytes(UnsafeRawBufferPointer(start: formatted, count: Int(length)))
        }
    }
}
