import Testing

@testable import LeopostCore

@Suite("ConnectionLeaseStateMachine")
struct ConnectionLeaseStateMachineTests {
    typealias Machine = ConnectionLeaseStateMachine<String, Int>

    @Test func opensUpToTheLimitThenQueuesInOrder() {
        var machine = Machine(maxConnections: 2)
        guard case .open = machine.lease(waiter: 1), case .open = machine.lease(waiter: 2) else { Issue.record("expected opens"); return }
        guard case .wait = machine.lease(waiter: 3), case .wait = machine.lease(waiter: 4) else { Issue.record("expected waits"); return }
        guard case .handOver(3, "a") = machine.release("a", reusable: true) else { Issue.record("first waiter first"); return }
        guard case .handOver(4, "b") = machine.release("b", reusable: true) else { Issue.record("then the second"); return }
        guard case .keep = machine.release("a", reusable: true) else { Issue.record("then idle"); return }
        guard case .use("a") = machine.lease(waiter: 5) else { Issue.record("idle reused"); return }
    }

    @Test func aBrokenConnectionFreesItsSlotForAWaiter() {
        var machine = Machine(maxConnections: 1)
        _ = machine.lease(waiter: 1)
        _ = machine.lease(waiter: 2)
        guard case .openFor(2) = machine.release("a", reusable: false) else { Issue.record("waiter opens anew"); return }
        guard case .none = machine.release("b", reusable: false) else { Issue.record("slot freed"); return }
        #expect(machine.opened == 0)
        guard case .open = machine.lease(waiter: 3) else { Issue.record("slot reusable"); return }
    }

    @Test func cancelledWaitersAreSkippedAndFailedOpensFreeTheSlot() {
        var machine = Machine(maxConnections: 1)
        _ = machine.lease(waiter: 1)
        _ = machine.lease(waiter: 2)
        let cancelled = machine.cancelWaiter(2)
        let cancelledAgain = machine.cancelWaiter(2)
        #expect(cancelled && !cancelledAgain)
        guard case .none = machine.openFailed() else { Issue.record("no waiter left"); return }
        #expect(machine.opened == 0)
    }

    @Test func closeReturnsIdleAndWaitersAndRefusesLeases() {
        var machine = Machine(maxConnections: 1)
        _ = machine.lease(waiter: 1)
        _ = machine.lease(waiter: 2)
        let closed = machine.close()
        #expect(closed.waiters == [2])
        guard case .close("a") = machine.release("a", reusable: true) else { Issue.record("closed pool closes returns"); return }
        guard case .closed = machine.lease(waiter: 3) else { Issue.record("closed"); return }
    }
}
