// FFI cost of the generated Kotlin bindings (JNA), run by scripts/bench-ffi.sh.
// Cases: a trivial method (RepCounter.reps), a 100-sample IMU batch
// (RepCounter.pushImu: 100 timestamps + 600 floats), and a breakdown of where
// the batch time goes (JNA calls, list serialisation). The breakdown reaches
// into internal parts of the generated file (UniffiLib, RustBuffer), which is
// possible because this file is compiled in the same Kotlin module; an app can't.
//
// Output: one `ROW|kotlin|<case>|<calls>|<median µs>|<p95 µs>|<cpu µs>` line per
// case. Each sample times `inner` consecutive calls (wall clock); the figures are
// per call. cpu = this thread's CPU time / calls (mean): less sensitive to other
// load on the machine than the wall-clock figures.
import org.rehabcore.*

val threads: java.lang.management.ThreadMXBean = java.lang.management.ManagementFactory.getThreadMXBean()

fun measure(name: String, samples: Int, inner: Int, body: () -> Unit) {
    repeat(maxOf(2000, samples / 2)) { body() } // warm-up: let the JIT compile the path
    val perCall = DoubleArray(samples)
    val cpu0 = threads.currentThreadCpuTime
    for (s in 0 until samples) {
        val t0 = System.nanoTime()
        for (i in 0 until inner) body()
        perCall[s] = (System.nanoTime() - t0) / 1000.0 / inner
    }
    val cpu = (threads.currentThreadCpuTime - cpu0) / 1000.0 / (samples.toDouble() * inner)
    perCall.sort()
    val median = perCall[samples / 2]
    val p95 = perCall[minOf(samples - 1, (samples * 95) / 100)]
    println("ROW|kotlin|%s|%d|%.3f|%.3f|%.3f".format(name, samples * inner, median, p95, cpu))
}

fun main(args: Array<String>) {
    val samples = args.getOrNull(0)?.toInt() ?: 20_000
    val counter = RepCounter(CounterSignal.IMU)

    // A slow synthetic abduction (0.25 Hz) at 50 Hz, 100 samples per batch.
    val n = 100
    val floats = FloatArray(6 * n)
    var t = 0.0
    fun nextBatch(): List<Double> {
        val ts = DoubleArray(n) { i -> t + i * 0.02 }
        for (i in 0 until n) {
            val ph = 2.0 * Math.PI * 0.25 * ts[i]
            floats[6 * i + 0] = (9.81 * Math.cos(ph)).toFloat()
            floats[6 * i + 1] = (9.81 * Math.sin(ph)).toFloat()
            floats[6 * i + 2] = 0.1f
            floats[6 * i + 3] = (1.5 * Math.cos(ph)).toFloat()
            floats[6 * i + 4] = 0.0f
            floats[6 * i + 5] = 0.0f
        }
        t += n * 0.02
        return ts.asList()
    }
    val fixedTs = nextBatch()
    val fixedSamples: List<Float> = floats.toList() // boxed once, reused

    var sink = 0L
    measure("reps() trivial method", samples, 10) { sink += counter.reps().toLong() }
    measure("pushImu 100 samples (lists reused)", samples, 1) {
        val ts = fixedTs.map { it + t }; t += n * 0.02 // time must move on
        sink += counter.pushImu(ts, fixedSamples).size
    }
    measure("pushImu 100 samples (from arrays)", samples, 1) {
        val ts = nextBatch()
        sink += counter.pushImu(ts, floats.asList()).size
    }
    // The sample fast path (SampleFeed.kt): primitive arrays, one direct-mapped JNA call.
    // The arrays are filled in place (no new batch is generated: that would time
    // 200 cos/sin calls and the boxing of a list, not the FFI).
    val feed = counter.sampleFeed()
    val feedTs = DoubleArray(n)
    measure("CounterFeed.pushImu 100 samples (DoubleArray/FloatArray)", samples, 1) {
        for (i in 0 until n) feedTs[i] = t + i * 0.02
        t += n * 0.02 // time must move on
        sink += feed.pushImu(feedTs, floats).size
    }
    // The same marshalling with almost no Rust work: the last value is NaN, so
    // Rust lifts both lists, validates them and returns InvalidInput (the
    // counter is unchanged). Includes creating the Kotlin exception.
    val nanSamples = fixedSamples.toMutableList().also { it[it.size - 1] = Float.NaN }
    measure("pushImu 100 samples rejected (NaN last)", samples, 1) {
        try { counter.pushImu(fixedTs, nanSamples) } catch (e: RehabException.InvalidInput) { sink += 1 }
    }

    // Breakdown: what one pushImu does on the Kotlin side.
    // clone handle + alloc(ts) + alloc(samples) + push_imu + free(result) = 5 JNA calls.
    val status = { UniffiRustCallStatus() }
    measure("  clone+free handle (2 JNA calls)", samples, 10) {
        UniffiLib.uniffi_rehab_core_fn_free_repcounter(counter.uniffiCloneHandle(), status())
    }
    measure("  RustBuffer alloc+free (2 JNA)", samples, 10) {
        RustBuffer.free(RustBuffer.alloc(2404UL))
    }
    measure("  new UniffiRustCallStatus (JNA Structure)", samples, 10) { sink += status().code }
    measure("  lower List<Float>(600) into RustBuffer", samples, 1) {
        RustBuffer.free(FfiConverterSequenceFloat.lower(fixedSamples))
    }
    feed.close()
    counter.destroy()
    if (sink == 42L) println("sink")
}
