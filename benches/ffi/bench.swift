// FFI cost of the generated Swift bindings, run by scripts/bench-ffi.sh (swiftc -O).
// Cases: a trivial method (RepCounter.reps) and a 100-sample IMU batch
// (RepCounter.pushImu: 100 timestamps + 600 floats).
// Output: one `ROW|swift|<case>|<calls>|<median µs>|<p95 µs>|<cpu µs>` line per
// case. Each sample times `inner` consecutive calls (wall clock); the figures are
// per call. cpu = this thread's CPU time / calls (mean).
import Foundation
import RehabCore
import rehab_coreFFI

func threadCpuNs() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

func measure(_ name: String, _ samples: Int, _ inner: Int, _ body: () throws -> Void) rethrows {
    for _ in 0..<max(2000, samples / 2) { try body() } // warm-up
    var perCall = [Double](repeating: 0, count: samples)
    let cpu0 = threadCpuNs()
    for s in 0..<samples {
        let t0 = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<inner { try body() }
        perCall[s] = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1000.0 / Double(inner)
    }
    let cpu = Double(threadCpuNs() - cpu0) / 1000.0 / Double(samples * inner)
    perCall.sort()
    let median = perCall[samples / 2]
    let p95 = perCall[min(samples - 1, samples * 95 / 100)]
    print(String(format: "ROW|swift|%@|%d|%.3f|%.3f|%.3f", name, samples * inner, median, p95, cpu))
}

let samples = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1])! : 20_000
let counter = RepCounter(signal: .imu)

// A slow synthetic abduction (0.25 Hz) at 50 Hz, 100 samples per batch.
let n = 100
var floats = [Float](repeating: 0, count: 6 * n)
var t = 0.0
func nextBatch() -> [Double] {
    let ts = (0..<n).map { t + Double($0) * 0.02 }
    for i in 0..<n {
        let ph = 2.0 * Double.pi * 0.25 * ts[i]
        floats[6 * i + 0] = Float(9.81 * cos(ph))
        floats[6 * i + 1] = Float(9.81 * sin(ph))
        floats[6 * i + 2] = 0.1
        floats[6 * i + 3] = Float(1.5 * cos(ph))
        floats[6 * i + 4] = 0
        floats[6 * i + 5] = 0
    }
    t += Double(n) * 0.02
    return ts
}
let fixedTs = nextBatch()
let fixedSamples = floats

var sink = 0
measure("reps() trivial method", samples, 100) { sink &+= Int(counter.reps()) }
try measure("pushImu 100 samples (arrays reused)", samples, 1) {
    let base = t; t += Double(n) * 0.02 // time must move on
    sink &+= try counter.pushImu(timestamps: fixedTs.map { $0 + base }, samples: fixedSamples).count
}
try measure("pushImu 100 samples (from arrays)", samples, 1) {
    let ts = nextBatch()
    sink &+= try counter.pushImu(timestamps: ts, samples: floats).count
}
// The sample fast path (SampleFeed.swift): arrays passed by pointer, one C call.
// The timestamps are written in place (a new generated batch would time 200
// cos/sin calls, not the FFI).
let feed = counter.sampleFeed()
var feedTs = [Double](repeating: 0, count: n)
try measure("CounterFeed.pushImu 100 samples ([Double]/[Float])", samples, 1) {
    let base = t; t += Double(n) * 0.02 // time must move on
    for i in 0..<n { feedTs[i] = base + Double(i) * 0.02 }
    sink &+= try feed.pushImu(timestamps: feedTs, samples: fixedSamples).count
}
// The C entry point under the feed, called directly: the counting work itself plus
// a call that costs nanoseconds; the difference to the row above is the wrapper.
let rawCounter = RepCounter(signal: .imu)
let rawHandle = rawCounter.uniffiCloneHandle()
var rawOut = [UInt8](repeating: 0, count: 16 * 1024)
measure("  C rehab_core_counter_push_imu 100 samples (no wrapper)", samples, 1) {
    let base = t; t += Double(n) * 0.02
    for i in 0..<n { feedTs[i] = base + Double(i) * 0.02 }
    let r = feedTs.withUnsafeBufferPointer { tp in
        fixedSamples.withUnsafeBufferPointer { xp in
            rawOut.withUnsafeMutableBufferPointer { op in
                rehab_core_counter_push_imu(rawHandle, tp.baseAddress, Int32(tp.count), xp.baseAddress,
                                            Int32(xp.count), op.baseAddress, Int32(op.count))
            }
        }
    }
    sink &+= Int(r)
}
// The same marshalling with almost no Rust work: the last value is NaN, so Rust
// lifts both arrays, validates them and returns InvalidInput (counter unchanged).
var nanSamples = fixedSamples
nanSamples[nanSamples.count - 1] = .nan
measure("pushImu 100 samples rejected (NaN last)", samples, 1) {
    do { _ = try counter.pushImu(timestamps: fixedTs, samples: nanSamples) } catch { sink &+= 1 }
}
if sink == 42 { print("sink") }
