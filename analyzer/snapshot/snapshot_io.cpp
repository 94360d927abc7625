// Reading a saved snapshot back (with validation) and writing one out.
#include "input_file.h"
#include "output_sink.h"
#include "raw_elements.h"
#include "snapshot.h"
#include "snapshot_validation.h"

#include <cstring>

namespace relayaudit {

std::optional<std::string> loadSnapshot(const std::string& path, pugi::xml_document& snapshot,
                                        RawValues rawValues) {
    // Read straight into a buffer the document then owns and parses in place: no copy of the
    // text (load_buffer copied it, and reading through a growing string copied it again), one
    // allocation when the file says its size.
    InputFile input;
    if (auto problem = input.open(path))
        return problem;
    auto allocate = pugi::get_memory_allocation_function();
    auto deallocate = pugi::get_memory_deallocation_function();
    std::size_t capacity = std::size_t(input.sizeHint()) + 1, size = 0;
    char* text = static_cast<char*>(allocate(capacity));
    for (;;) {
        if (!text)
            return path + ": not enough memory to read the snapshot";
        if (size == capacity) { // a pipe, or a file that grew: twice the room
            char* larger = static_cast<char*>(allocate(capacity * 2));
            if (larger)
                std::memcpy(larger, text, size);
            deallocate(text);
            text = larger;
            capacity *= 2;
            continue;
        }
        const auto got = input.read(text + size, capacity - size);
        if (!got) {
            deallocate(text);
            return input.error();
        }
        if (*got == 0)
            break;
        size += *got;
    }
    // A pipe (standard input, `--snapshot <(zcat s.xml.gz)`) cannot be read a second time for the
    // error as the file gives it: read whole.
    if (!input.isRegularFile())
        rawValues = RawValues::Kept;
    if (rawValues == RawValues::LeftOut)
        size = removeRawElements(text, size);
    auto result =
        snapshot.load_buffer_inplace_own(text, size, pugi::parse_default, pugi::encoding_utf8);
    if (!result && rawValues == RawValues::LeftOut)
        return loadSnapshot(path, snapshot, RawValues::Kept); // the error as the file gives it
    if (!result)
        return path + ": not a well-formed XML snapshot (" + result.description() + " at byte " +
               std::to_string(result.offset) + "); give a file written by --snapshot-out";
    auto root = snapshot.document_element();
    if (std::string_view(root.name()) != "snapshot")
        return path + ": the root element is not <snapshot>; give a file written by "
                      "--snapshot-out";
    std::string version = root.attribute("formatVersion").value();
    if (version != kSnapshotFormatVersion)
        return path + ": snapshot format version '" + version + "' is not supported (this " +
               "relayaudit reads version " + kSnapshotFormatVersion +
               "); collect the snapshot again with this version";
    if (auto problem = validateSnapshot(snapshot))
        return path + ": not a valid relayaudit snapshot: " + *problem +
               "; it was damaged or edited: collect it again (schemas/snapshot.xsd)";
    return std::nullopt;
}

namespace {

// pugixml's serialiser writes through this straight into the sink: a snapshot written to a file
// never exists as one string (nor as a stream buffer plus its copy).
class SinkWriter : public pugi::xml_writer {
public:
    explicit SinkWriter(OutputSink& out) : out_(out) {}
    void write(const void* data, std::size_t size) override {
        out_.append(std::string_view(static_cast<const char*>(data), size));
    }

private:
    OutputSink& out_;
};

} // namespace

void writeSnapshot(const pugi::xml_document& snapshot, OutputSink& out) {
    out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    SinkWriter writer(out);
    snapshot.save(writer, "  ", pugi::format_default | pugi::format_no_declaration,
                  pugi::encoding_utf8);
}

std::string snapshotToString(const pugi::xml_document& snapshot) {
    std::string text;
    OutputSink out(text);
    writeSnapshot(snapshot, out);
    out.flush();
    return text;
}

} // namespace relayaudit
