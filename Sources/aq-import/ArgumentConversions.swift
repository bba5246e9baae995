import AQImportCore
import ArgumentParser

extension RecordKind: ExpressibleByArgument {}
extension InputFormat: ExpressibleByArgument {}

extension RejectLimit: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}
