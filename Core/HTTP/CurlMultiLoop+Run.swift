import CCurl

extension CurlMultiLoop {
    /// The loop thread's body: apply commands, let curl work, hand out completions, enforce our own
    /// time limits, then sleep in `curl_multi_poll` until a socket, a curl timer, a limit or a wake-up.
    func run() {
        let multi = multiPointer
        var transfers: [UnsafeMutableRawPointer: CurlTransfer] = [:]
        while true {
            let (commands, stopping) = takeCommands()
            for command in commands {
                apply(command, stopping: stopping, transfers: &transfers, multi: multi)
            }
            if stopping {
                for transfer in transfers.values {
                    transfer.finish(.about(transfer.request.target, .shutdown, "the HTTP client shut down during the request"), multi: multi)
                }
                transfers.removeAll()
                setActiveCount(0)
                break
            }
            var running: Int32 = 0
            curl_multi_perform(multi, &running)
            collectCompletions(&transfers, multi: multi)
            let nextLimit = enforceLimits(&transfers, multi: multi)
            setActiveCount(transfers.count)
            let wait = nextLimit.map { max(0, min(1000, ($0 - .now).roundedUpMilliseconds)) } ?? 1000
            curl_multi_poll(multi, nil, 0, Int32(wait), nil)
        }
        markStopped()
    }

    private func apply(
        _ command: Command,
        stopping: Bool,
        transfers: inout [UnsafeMutableRawPointer: CurlTransfer],
        multi: UnsafeMutableRawPointer
    ) {
        switch command {
        case .add(let transfer):
            if stopping {
                transfer.finish(.about(transfer.request.target, .shutdown, "the HTTP client is shutting down"), multi: multi)
            } else if transfer.isCancelRequested {
                transfer.finish(.about(transfer.request.target, .cancelled, "the request was cancelled by the caller"), multi: multi)
            } else if let error = transfer.start(multi: multi) {
                transfer.finish(error, multi: multi)
            } else if let easy = transfer.easy {
                transfers[easy] = transfer
            }
        case .cancel(let transfer):
            guard let easy = transfer.easy, transfers[easy] === transfer else { return }
            transfers[easy] = nil
            transfer.finish(.about(transfer.request.target, .cancelled, "the request was cancelled by the caller"), multi: multi)
        case .resume(let transfer):
            guard let easy = transfer.easy, transfers[easy] === transfer else { return }
            transfer.unpause()
        }
    }

    /// Finished transfers: `CURLMSG_DONE` carries the transfer's `CURLcode`.
    private func collectCompletions(_ transfers: inout [UnsafeMutableRawPointer: CurlTransfer], multi: UnsafeMutableRawPointer) {
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(multi, &remaining) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle,
                let transfer = transfers.removeValue(forKey: easy)
            else { continue }
            let code = message.pointee.data.result
            transfer.finish(code == CURLE_OK ? nil : transfer.failure(for: code), multi: multi)
        }
    }

    /// Fails transfers past a limit; returns the earliest limit still ahead.
    private func enforceLimits(
        _ transfers: inout [UnsafeMutableRawPointer: CurlTransfer],
        multi: UnsafeMutableRawPointer
    ) -> ContinuousClock.Instant? {
        let now = ContinuousClock.now
        var expired: [(UnsafeMutableRawPointer, HTTPClientError)] = []
        var earliest: ContinuousClock.Instant?
        for (easy, transfer) in transfers {
            if let error = transfer.expiredLimit(at: now) {
                expired.append((easy, error))
            } else {
                earliest = min(earliest ?? transfer.nextLimit, transfer.nextLimit)
            }
        }
        for (easy, error) in expired {
            transfers.removeValue(forKey: easy)?.finish(error, multi: multi)
        }
        return earliest
    }
}

extension CurlTransfer {
    /// The error for a transfer curl ended with `code`: the callback's own reason if it aborted it.
    func failure(for code: CURLcode) -> HTTPClientError {
        if let callbackFailure { return callbackFailure }
        var connectTime: curl_off_t = 0
        if let easy { _ = ccurl_easy_getinfo_off(easy, CURLINFO_CONNECT_TIME_T, &connectTime) }
        let detail = errorBuffer.map { String(cString: $0) } ?? ""
        return .fromCurl(code, detail: detail, connected: connectTime > 0, target: request.target)
    }
}
