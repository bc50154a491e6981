@testable import LeopostCore
import Testing

/// The pool's bookkeeping read as a transcript: each input, then the action it must produce.
@Suite("PostgresPoolStateMachine")
struct PostgresPoolStateMachineTests {
    typealias Machine = PostgresPoolStateMachine<String, String>

    @Test func opensUpToTheLimitThenQueues() {
        var machine = Machine(maxConnections: 2)
        #expect(machine.lease(id: 1, waiter: "a") == .open)
        #expect(machine.lease(id: 2, waiter: "b") == .open)
        #expect(machine.lease(id: 3, waiter: "c") == .wait)
        #expect(machine.slotsInUse == 2)
        #expect(machine.waiters.map(\.waiter) == ["c"])
    }

    @Test func releaseKeepsIdleAndLeaseReusesIt() {
        var machine = Machine(maxConnections: 2)
        #expect(machine.lease(id: 1, waiter: "a") == .open)
        #expect(machine.release("conn1", reusable: true) == .keepIdle)
        #expect(machine.slotsInUse == 0)
        #expect(machine.lease(id: 2, waiter: "b") == .useIdle("conn1"))
        #expect(machine.idle.isEmpty)
    }

    @Test func releaseHandsTheConnectionToWaitersInFIFOOrder() {
        var machine = Machine(maxConnections: 1)
        #expect(machine.lease(id: 1, waiter: "a") == .open)
        #expect(machine.lease(id: 2, waiter: "b") == .wait)
        #expect(machine.lease(id: 3, waiter: "c") == .wait)
        #expect(machine.release("conn1", reusable: true) == .resumeWaiter("b", "conn1"))
        #expect(machine.release("conn1", reusable: true) == .resumeWaiter("c", "conn1"))
        #expect(machine.release("conn1", reusable: true) == .keepIdle)
        #expect(machine.slotsInUse == 0)
    }

    @Test func brokenConnectionIsDiscardedAndTheSlotFreed() {
        var machine = Machine(maxConnections: 1)
        #expect(machine.lease(id: 1, waiter: "a") == .open)
        #expect(machine.release("conn1", reusable: false) == .discard(openFor: nil))
        #expect(machine.slotsInUse == 0)
        #expect(machine.idle.isEmpty)
        #expect(machine.lease(id: 2, waiter: "b") == .open)
    }

    @Test func brokenConnectionPassesItsSlotToTheNextWaiter() {
        var machine = Machine(maxConnections: 1)
        #expect(machine.lease(id: 1, waiter: "a") == .open)
        #expect(machine.lease(id: 2, waiter: "b") == .wait)
        #expect(machine.release("conn1", reusable: false) == .discard(openFor: "b"))
        #expect(machine.slotsInUse == 1)
        #expect(machine.waiters.isEmpty)
    }

    @Test func failedOpenFreesTheSlotOrPassesItOn() {
        var machine = Machine(maxConnections: 1)
        #expect(machine.lease(id: 1, waiter: "a") == .open)
        #expect(machine.lease(id: 2, waiter: "b") == .wait)
        #expect(machine.openFailed() == "b")
        #expect(machine.slotsInUse == 1)
        #expect(machine.openFailed() == nil)
        #expect(machine.slotsInUse == 0)
    }

    @Test func cancelledWaiterLeavesTheQueue() {
        var machine = Machine(maxConnections: 1)
        #expect(machine.lease(id: 1, waiter: "a") == .open)
        #expect(machine.lease(id: 2, waiter: "b") == .wait)
        #expect(machine.lease(id: 3, waiter: "c") == .wait)
        #expect(machine.cancelWaiter(id: 2) == "b")
        #expect(machine.cancelWaiter(id: 2) == nil)
        #expect(machine.release("conn1", reusable: true) == .resumeWaiter("c", "conn1"))
    }

    @Test func closeFailsWaitersClosesIdleAndRefusesLeases() {
        var machine = Machine(maxConnections: 2)
        #expect(machine.lease(id: 1, waiter: "a") == .open)
        #expect(machine.lease(id: 2, waiter: "b") == .open)
        #expect(machine.release("conn2", reusable: true) == .keepIdle)
        #expect(machine.lease(id: 3, waiter: "c") == .useIdle("conn2"))
        #expect(machine.lease(id: 4, waiter: "d") == .wait)
        let close = machine.close()
        #expect(close.waiters == ["d"])
        #expect(close.idle.isEmpty)
        #expect(machine.lease(id: 5, waiter: "e") == .failClosed)
        #expect(machine.release("conn1", reusable: true) == .discard(openFor: nil))
        #expect(machine.release("conn2", reusable: true) == .discard(openFor: nil))
        #expect(machine.slotsInUse == 0)
        let again = machine.close()
        #expect(again.waiters.isEmpty && again.idle.isEmpty)
    }

    @Test func closeReturnsIdleConnections() {
        var machine = Machine(maxConnections: 2)
        #expect(machine.lease(id: 1, waiter: "a") == .open)
        #expect(machine.release("conn1", reusable: true) == .keepIdle)
        #expect(machine.close().idle == ["conn1"])
    }
}
