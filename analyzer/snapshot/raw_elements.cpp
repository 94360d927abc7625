#include "raw_elements.h"

#include <cstring>
#include <string_view>

namespace relayaudit {

namespace {

class RawElementFilter {
public:
    RawElementFilter(char* text, std::size_t size) : text_(text), size_(size) {}

    std::size_t run() {
        while (read_ < size_) {
            const char* next =
                static_cast<const char*>(std::memchr(text_ + read_, '<', size_ - read_));
            if (!next)
                break;
            std::size_t lt = std::size_t(next - text_);
            const bool whiteSpaceBefore = onlyWhiteSpace(read_, lt);
            keep(lt);
            if (startsWith(lt, "<!--")) {
                if (!keepThrough(lt + 4, "-->"))
                    break;
            } else if (startsWith(lt, "<![CDATA[")) {
                if (!keepThrough(lt + 9, "]]>"))
                    break;
            } else if (startsWith(lt, "<?")) {
                if (!keepThrough(lt + 2, "?>"))
                    break;
            } else if (startsWith(lt, "<!")) {
                break; // a DOCTYPE (perhaps with an internal subset): not filtered
            } else if (depth_ > 0 && whiteSpaceBefore && isRawStartTag(lt) && dropRawElement(lt)) {
                continue;
            } else if (!keepTag(lt)) {
                break;
            }
        }
        keep(size_);
        return write_;
    }

private:
    static constexpr std::size_t kNone = std::size_t(-1);

    // Copies text_[read_, end) to the write position.
    void keep(std::size_t end) {
        if (end <= read_)
            return;
        if (write_ != read_)
            std::memmove(text_ + write_, text_ + read_, end - read_);
        write_ += end - read_;
        read_ = end;
    }

    bool startsWith(std::size_t at, std::string_view prefix) const {
        return size_ - at >= prefix.size() &&
               std::memcmp(text_ + at, prefix.data(), prefix.size()) == 0;
    }

    std::size_t find(std::size_t from, std::string_view what) const {
        std::string_view rest(text_ + from, size_ - from);
        auto found = rest.find(what);
        return found == std::string_view::npos ? kNone : from + found;
    }

    bool keepThrough(std::size_t from, std::string_view end) {
        std::size_t at = find(from, end);
        if (at == kNone)
            return false;
        keep(at + end.size());
        return true;
    }

    bool isRawStartTag(std::size_t lt) const {
        return startsWith(lt, "<raw") && lt + 4 < size_ &&
               (isSpace(text_[lt + 4]) || text_[lt + 4] == '>' || text_[lt + 4] == '/');
    }

    // The '>' that ends the tag starting at lt, outside quoted attribute values; kNone if none.
    std::size_t endOfTag(std::size_t lt) const {
        char quote = 0;
        for (std::size_t i = lt + 1; i < size_; ++i) {
            char c = text_[i];
            if (quote) {
                if (c == quote)
                    quote = 0;
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '>') {
                return i;
            }
        }
        return kNone;
    }

    static bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
    // The first position from i on that is not white space (size_ at the end).
    std::size_t afterSpace(std::size_t i) const {
        while (i < size_ && isSpace(text_[i]))
            ++i;
        return i;
    }
    // Name characters as pugixml reads them: any byte from 0x80 on is one (UTF-8 names).
    static bool isNameStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
               static_cast<unsigned char>(c) >= 0x80;
    }
    static bool isNameChar(char c) {
        return isNameStart(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
    }

    // The '>' of a <raw> start tag written as XML allows it: attributes each after white space,
    // a name, "=", a quoted value (with '<' in it, as pugixml accepts). kNone for anything else,
    // which is then left for the parser to judge: a damaged <raw> element must fail the load as
    // before, not vanish.
    std::size_t endOfWellFormedRawTag(std::size_t lt) const {
        std::size_t i = lt + 4;
        for (;;) {
            const std::size_t spaceStart = i;
            i = afterSpace(i);
            if (i >= size_)
                return kNone;
            if (text_[i] == '>')
                return i;
            if (text_[i] == '/')
                return i + 1 < size_ && text_[i + 1] == '>' ? i + 1 : kNone;
            if (i == spaceStart || !isNameStart(text_[i]))
                return kNone;
            while (i < size_ && isNameChar(text_[i]))
                ++i;
            i = afterSpace(i);
            if (i >= size_ || text_[i] != '=')
                return kNone;
            i = afterSpace(i + 1);
            if (i >= size_ || (text_[i] != '"' && text_[i] != '\''))
                return kNone;
            const char quote = text_[i++];
            while (i < size_ && text_[i] != quote && text_[i] != '\0')
                ++i;
            if (i >= size_ || text_[i] != quote)
                return kNone;
            ++i;
        }
    }

    // An ordinary tag (or a <raw> that stays): copied, and the depth follows it.
    bool keepTag(std::size_t lt) {
        const std::size_t gt = endOfTag(lt);
        if (gt == kNone)
            return false;
        if (text_[lt + 1] == '/') {
            if (depth_ > 0)
                --depth_;
        } else if (text_[gt - 1] != '/') {
            ++depth_;
        }
        keep(gt + 1);
        return true;
    }

    // At "<raw": drops the element when its start tag is well-formed, it is empty or holds text
    // only, and only white space follows it up to the next markup. False when it stays.
    bool dropRawElement(std::size_t lt) {
        const std::size_t gt = endOfWellFormedRawTag(lt);
        if (gt == kNone)
            return false;
        std::size_t end = kNone; // just after the element
        if (text_[gt - 1] == '/') {
            end = gt + 1;
        } else {
            const char* nextMarkup =
                static_cast<const char*>(std::memchr(text_ + gt + 1, '<', size_ - gt - 1));
            if (!nextMarkup)
                return false;
            const std::size_t close = std::size_t(nextMarkup - text_);
            // A NUL byte ends pugixml's parse: an element holding one is left for it to reject.
            if (std::memchr(text_ + gt + 1, '\0', close - gt - 1) != nullptr ||
                !startsWith(close, "</raw"))
                return false;
            const std::size_t i = afterSpace(close + 5);
            if (i >= size_ || text_[i] != '>')
                return false;
            end = i + 1;
        }
        const char* after = static_cast<const char*>(std::memchr(text_ + end, '<', size_ - end));
        if (!onlyWhiteSpace(end, after ? std::size_t(after - text_) : size_))
            return false;
        read_ = end;
        return true;
    }

    bool onlyWhiteSpace(std::size_t from, std::size_t to) const { return afterSpace(from) >= to; }

    char* text_;
    std::size_t size_;
    std::size_t read_ = 0;
    std::size_t write_ = 0;
    std::size_t depth_ = 0; // elements open at read_
};

} // namespace

std::size_t removeRawElements(char* text, std::size_t size) {
    return RawElementFilter(text, size).run();
}

} // namespace relayaudit
