// Records picked by their tags (select.hpp).
#include "model/select.hpp"

#include <algorithm>
#include <stdexcept>

#include "model/pyjson.hpp"
#include "model/tags.hpp"
#include "util/text.hpp"

namespace tagwatch {

Selection select_records(std::string_view records_json, const std::vector<std::string>& tags,
                         bool need_all, std::string_view user) {
    rapidjson::Document doc;
    std::string error;
    if (!parse_json(records_json, doc, &error) || !doc.IsArray())
        throw std::runtime_error("select_records: not a JSON array: " + error);
    Selection out;
    out.json = "[";
    for (auto& rec : doc.GetArray()) {
        if (!rec.IsObject()) throw std::runtime_error("select_records: a record is not an object");
        std::string_view ds;
        if (auto it = rec.FindMember("ds"); it != rec.MemberEnd() && it->value.IsString())
            ds = std::string_view(it->value.GetString(), it->value.GetStringLength());
        std::vector<std::string> have = ds_tags(ds);
        if (!tags.empty()) {
            auto has = [&have](const std::string& t) {
                return std::find(have.begin(), have.end(), t) != have.end();
            };
            const bool keep = need_all ? std::all_of(tags.begin(), tags.end(), has)
                                       : std::any_of(tags.begin(), tags.end(), has);
            if (!keep) continue;
        }
        if (!user.empty()) {
            rapidjson::Value value(user.data(), static_cast<rapidjson::SizeType>(user.size()),
                                   doc.GetAllocator());
            if (auto it = rec.FindMember("user"); it != rec.MemberEnd())
                it->value = value;
            else
                rec.AddMember("user", value, doc.GetAllocator());
        }
        if (out.count++) out.json += ", ";
        py_json_dump(rec, out.json);
        out.tag_sets.insert(std::move(have));
    }
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
