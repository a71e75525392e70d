// Hand-written: the readable side of the generated errors.
// uniffi.toml omits uniffi's own LocalizedError conformance, whose errorDescription
// prints the enum case (`RehabError.NotFound(reason: ..., what: ..., id: ...)`);
// here it is the core's readable sentence, the same text Kotlin's `message` carries.
import Foundation

extension RehabError: LocalizedError {
    /// The core's readable sentence for this error (no health data in it).
    public var reason: String {
        switch self {
        case let .InvalidInput(reason): return reason
        case let .NotFound(reason, _, _): return reason
        case let .DatabaseTooNew(reason, _, _): return reason
        case let .DatabaseUnreadable(reason): return reason
        case let .Storage(reason): return reason
        case let .InvalidState(reason, _, _): return reason
        case let .ImportRejected(reason): return reason
        case let .Internal(reason): return reason
        }
    }

    /// The readable sentence, as `localizedDescription` and alerts show it.
    public var errorDescription: String? { reason }
}

extension ListenerError: LocalizedError {
    /// The listener's own words.
    public var errorDescription: String? {
        switch self {
        case let .Failed(reason): return "listener failed: \(reason)"
        }
    }
}
