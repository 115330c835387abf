// Records picked by their tags (select.hpp).
#include "model/select.hpp"

#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <algorithm>
#include <functional>
#include <stdexcept>
#include <unordered_map>

#include "model/pyjson.hpp"
#include "model/tags.hpp"
#include "util/text.hpp"

namespace tagwatch {

namespace {

// Finds the records of a JSON array in one pass without building them: the byte range of
// each top-level object and its "ds" string, so a kept record is copied as it is.
struct RecordScanner : rapidjson::BaseReaderHandler<rapidjson::UTF8<>, RecordScanner> {
    rapidjson::MemoryStream* stream = nullptr;
    std::function<void(size_t begin, size_t end, std::string_view ds)> on_record;
    int depth = 0;
    size_t begin = 0;
    bool next_is_ds = false, bad = false;
    std::string ds;

    bool Default() {
        next_is_ds = false;
        if (depth < 2) bad = true;  // a value that is not inside a record
        return !bad;
    }
    bool String(const char* s, rapidjson::SizeType n, bool) {
        if (depth == 2 && next_is_ds) ds.assign(s, n);
        return Default();
    }
    bool Key(const char* s, rapidjson::SizeType n, bool) {
        next_is_ds = depth == 2 && std::string_view(s, n) == "ds";
        return true;
    }
    bool StartObject() {
        if (depth == 1) {
            begin = stream->Tell();  // the iterative parser calls before it takes the '{'
            ds.clear();
        } else if (depth == 0) {
            bad = true;
            return false;
        }
        ++depth;
        next_is_ds = false;
        return true;
    }
    bool EndObject(rapidjson::SizeType) {
        if (--depth == 1) on_record(begin, stream->Tell() + 1, ds);  // and before the '}'
        return true;
    }
    bool StartArray() {
        if (depth == 1) bad = true;  // an item that is not an object
        ++depth;
        next_is_ds = false;
        return !bad;
    }
    bool EndArray(rapidjson::SizeType) {
        --depth;
        return true;
    }
};

}  // namespace

Selection select_records(std::string_view records_json, const std::vector<std::string>& tags,
                         bool need_all, std::string_view user) {
    Selection out;
    out.json = "[";
    std::string user_member;
    if (!user.empty()) {
        user_member = ", \"user\": ";
        py_json_string(user, user_member);
        user_member += '}';
    }
    rapidjson::MemoryStream stream(records_json.data(), records_json.size());
    RecordScanner scanner;
    scanner.stream = &stream;
    // A year of records repeats its descriptions a lot: each is parsed once.
    std::unordered_map<std::string, std::vector<std::string>> tags_of;
    scanner.on_record = [&](size_t begin, size_t end, std::string_view ds) {
        auto found = tags_of.find(std::string(ds));
        if (found == tags_of.end()) {
            if (tags_of.size() > 50000) tags_of.clear();
            found = tags_of.emplace(std::string(ds), ds_tags(ds)).first;
        }
        const std::vector<std::string>& have = found->second;
        if (!tags.empty()) {
            auto has = [&have](const std::string& t) {
                return std::find(have.begin(), have.end(), t) != have.end();
            };
            const bool keep = need_all ? std::all_of(tags.begin(), tags.end(), has)
                                       : std::any_of(tags.begin(), tags.end(), has);
            if (!keep) return;
        }
        if (out.count++) out.json += ", ";
        const std::string_view item = records_json.substr(begin, end - begin);
        if (user.empty()) {
            out.json += item;
        } else {
            // The stored text ends with its closing brace: the member goes right before it
            // (an empty object gets no leading comma).
            out.json += item.substr(0, item.size() - 1);
            out.json += item.find_first_not_of(" \t\r\n", 1) == item.size() - 1
                            ? std::string_view(user_member).substr(2)
                            : std::string_view(user_member);
        }
        out.tag_sets.insert(have);
    };
    rapidjson::Reader reader;
    constexpr unsigned flags = rapidjson::kParseNumbersAsStringsFlag |
                               rapidjson::kParseNanAndInfFlag | rapidjson::kParseIterativeFlag;
    if (!reader.Parse<flags>(stream, scanner) || scanner.bad)
        throw std::runtime_error("select_records: not a JSON array of objects");
    out.json += ']';
    return out;
}

std::string normalize_tag(std::string_view text) {
    std::string tag = text.substr(0, 1) == "#" ? std::string(text) : "#" + std::string(text);
    std::vector<std::string> found = ds_tags(tag);
    if (found.size() != 1 || found[0] != unicode_lower(tag)) return "";
    return found[0];
}

}  // namespace tagwatch
