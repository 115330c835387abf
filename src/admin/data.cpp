// tagwatch-admin export and import: a user's records and settings out as JSON (the
// shape of GET records + GET settings, stored texts as they are) or CSV, and back in
// through the store's PUT path, so the API's merge rule decides and nothing is lost.
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <cfloat>
#include <cmath>
#include <ctime>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include "admin/admin.hpp"
#include "admin/csv.hpp"
#include "model/item.hpp"
#include "model/pyjson.hpp"
#include "model/tags.hpp"
#include "store/store.hpp"
#include "util/clock.hpp"

namespace tagwatch::admin {

const char* const kExportHelp =
    "Usage: tagwatch-admin export USER [--format json|csv] [--output FILE]\n"
    "Writes USER's data to standard output (or FILE, made with mode 0600).\n"
    "  json (default)  {\"records\": [...], \"settings\": [...]}: every record (hidden ones\n"
    "                  too) and setting exactly as stored, the shape `import` reads back\n"
    "  csv             records only, one a line, for a spreadsheet: key, start and stop\n"
    "                  (UTC), duration in seconds (empty while running), description, tags\n"
    "                  (as the web app's export: lowercased and sorted), hidden (yes for a\n"
    "                  deleted record: a description starting with HIDDEN), t1, t2, mt, st\n";

const char* const kImportHelp =
    "Usage: tagwatch-admin import USER FILE [--dry-run] [--force]\n"
    "Merges the records and settings of FILE (JSON as `export` writes it; a bare list is\n"
    "taken as records; - reads standard input) into USER's data, with the API's rule: an\n"
    "item already stored with a newer mt stays, every other one is written with a new st,\n"
    "so every client picks it up. All or nothing: when any item is invalid (or older than\n"
    "the user's last force-reset) nothing is written and every problem is listed.\n"
    "--dry-run only checks. USER must have a password or data already, unless --force.\n";

namespace {

std::string number_text(const rapidjson::Value& v) {
    if (v.IsInt64()) return std::to_string(v.GetInt64());
    if (v.IsUint64()) return std::to_string(v.GetUint64());
    if (v.IsNumber()) return py_float_repr(v.GetDouble());  // as stored: shortest round trip
    if (v.IsString()) return v.GetString();
    return "";
}

// A stored time as whole seconds: an integer as it is, a float truncated toward zero;
// nullopt for anything that is no number or lies outside signed 64 bits (a file TimeTagger
// wrote may hold such a float, and casting it would be undefined).
std::optional<int64_t> whole_seconds(const rapidjson::Value* v) {
    if (!v || !v->IsNumber()) return std::nullopt;
    if (v->IsInt64()) return v->GetInt64();
    if (v->IsUint64()) return std::nullopt;  // above INT64_MAX
    const double d = v->GetDouble();
    // -2^63 is a double exactly, 2^63 too; everything in [-2^63, 2^63) fits.
    if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0)) return std::nullopt;
    return static_cast<int64_t>(d);
}

// b - a as text, exactly, whatever the two (the difference of two int64 needs 65 bits).
std::string difference_text(int64_t a, int64_t b) {
    if (b >= a) return std::to_string(static_cast<uint64_t>(b) - static_cast<uint64_t>(a));
    return "-" + std::to_string(static_cast<uint64_t>(a) - static_cast<uint64_t>(b));
}

// The records as CSV rows (RFC 4180, CRLF line ends, as spreadsheets expect). The tags column
// is what the web app's CSV export writes (the tag set, lowercased and sorted, without
// #untagged) and hidden says "yes" where the app counts the record as deleted.
std::string records_csv(const std::string& records_json) {
    rapidjson::Document doc;
    doc.Parse<rapidjson::kParseFullPrecisionFlag>(records_json.data(), records_json.size());
    if (doc.HasParseError() || !doc.IsArray())
        throw std::runtime_error("the stored records are not a JSON list");
    std::string out = csv_row({"key", "start", "stop", "duration", "description", "tags", "hidden",
                               "t1", "t2", "mt", "st"});
    for (const auto& r : doc.GetArray()) {
        if (!r.IsObject()) continue;
        auto field = [&](const char* name) -> const rapidjson::Value* {
            auto it = r.FindMember(name);
            return it == r.MemberEnd() ? nullptr : &it->value;
        };
        const rapidjson::Value* key = field("key");
        const rapidjson::Value* t1 = field("t1");
        const rapidjson::Value* t2 = field("t2");
        const rapidjson::Value* ds = field("ds");
        const std::optional<int64_t> a = whole_seconds(t1), b = whole_seconds(t2);
        std::string description =
            ds && ds->IsString() ? std::string(ds->GetString(), ds->GetStringLength()) : "";
        const bool running = a && b && *a == *b;
        std::string tags;
        for (const auto& tag : ds_tags(description))
            if (tag != "#untagged") tags += (tags.empty() ? "" : " ") + tag;
        out += csv_row({key && key->IsString() ? key->GetString() : "", a ? iso_utc(*a) : "",
                        running || !b ? "" : iso_utc(*b),
                        running || !a || !b ? "" : difference_text(*a, *b), description, tags,
                        ds_is_deleted(description) ? "yes" : "", t1 ? number_text(*t1) : "",
                        t2 ? number_text(*t2) : "", field("mt") ? number_text(*field("mt")) : "",
                        field("st") ? number_text(*field("st")) : ""});
    }
    return out;
}

void require_known_user(const Context& ctx, const std::string& user, bool force) {
    if (!valid_username(user)) throw UsageError("'" + user + "' is not a valid user name");
    if (force || database(ctx)->user_exists(user)) return;
    if (!load_all_credentials(ctx.config).count(user))
        throw UsageError("'" + user +
                         "' has neither a password nor data here (typo?); --force imports anyway");
}

}  // namespace

int cmd_export(Context& ctx, const std::vector<std::string>& argv) {
    Args args = parse_args(argv, {}, {"format", "output"});
    args.at_most(1);
    const std::string& user = args.need(0, "USER");
    std::string format = args.get("format", "json");
    if (format != "json" && format != "csv")
        throw UsageError("--format must be json or csv, not '" + format + "'");
    if (!valid_username(user)) throw UsageError("'" + user + "' is not a valid user name");
    become_datadir_owner(ctx.config.datadir);
    // Never create a file for a user who has none: that would invent a user by a typo.
    if (!database(ctx)->user_exists(user))
        throw std::runtime_error("no data for user '" + user + "' in " +
                                 datadir_path(ctx, "users"));
    auto store = database(ctx)->user_store(user);
    // Every item, as one snapshot: the poll from the beginning of time, which (unlike a
    // records query) also finds a record whose times lie outside any range, as a float
    // beyond 64 bits in a file TimeTagger wrote.
    const Updates all = store->get_updates(-DBL_MAX);
    std::string out;
    if (format == "json")
        out = "{\"records\": " + all.records_json + ", \"settings\": " + all.settings_json + "}\n";
    else
        out = records_csv(all.records_json);
    if (args.has("output")) {
        write_file_atomically(args.get("output"), out, 0600);
    } else {
        std::cout << out << std::flush;
        if (!std::cout) throw std::runtime_error("cannot write to standard output");
    }
    return 0;
}

int cmd_import(Context& ctx, const std::vector<std::string>& argv) {
    Args args = parse_args(argv, {"dry-run", "force"}, {});
    args.at_most(2);
    const std::string& user = args.need(0, "USER");
    const std::string& file = args.need(1, "FILE (an export, or - for standard input)");
    std::string text;
    if (file == "-") {
        std::ostringstream all;
        all << std::cin.rdbuf();
        text = all.str();
    } else {
        text = read_file(file);
    }
    rapidjson::Document doc;
    doc.Parse<rapidjson::kParseFullPrecisionFlag>(text.data(), text.size());
    if (doc.HasParseError())
        throw UsageError(file +
                         " is not JSON: " + rapidjson::GetParseError_En(doc.GetParseError()) +
                         " at byte " + std::to_string(doc.GetErrorOffset()));
    rapidjson::Value empty(rapidjson::kArrayType);
    const rapidjson::Value* records = &empty;
    const rapidjson::Value* settings = &empty;
    if (doc.IsArray()) {
        records = &doc;
    } else if (doc.IsObject()) {
        for (const auto& m : doc.GetObject()) {
            std::string name(m.name.GetString(), m.name.GetStringLength());
            if (name != "records" && name != "settings")
                throw UsageError(file + ": unknown field '" + name +
                                 "' (expected records and settings)");
            if (!m.value.IsArray()) throw UsageError(file + ": '" + name + "' must be a list");
            (name == "records" ? records : settings) = &m.value;
        }
    } else {
        throw UsageError(
            file + " must hold a JSON object with records and settings, or a list of records");
    }

    become_datadir_owner(ctx.config.datadir);
    require_known_user(ctx, user, args.has("force"));
    double reset_time =
        database(ctx)->user_exists(user) ? database(ctx)->user_store(user)->reset_time() : -1;
    // Every item is checked before anything is written: all or nothing.
    std::vector<std::string> problems;
    auto check = [&](Kind kind, const rapidjson::Value& list) {
        size_t index = 0;
        for (const auto& item : list.GetArray()) {
            Validation v = validate_item(kind, item);
            std::string where = std::string(kind == Kind::records ? "record" : "setting") + " #" +
                                std::to_string(index++);
            if (!v.ok)
                problems.push_back(where + ": " + v.error);
            else if (static_cast<double>(v.item.mt) < reset_time)
                problems.push_back(where + " (" + v.item.key +
                                   "): mt is older than the user's last force-reset");
        }
    };
    check(Kind::records, *records);
    check(Kind::settings, *settings);
    if (!problems.empty()) {
        for (size_t i = 0; i < problems.size() && i < 50; ++i) std::cerr << problems[i] << "\n";
        if (problems.size() > 50) std::cerr << "... and " << problems.size() - 50 << " more\n";
        std::cerr << "tagwatch-admin import: " << problems.size()
                  << " invalid item(s); nothing was imported\n";
        return 1;
    }
    size_t n_records = records->Size(), n_settings = settings->Size();
    if (args.has("dry-run")) {
        std::cout << "would merge " << n_records << " records and " << n_settings
                  << " settings into " << user << "\n";
        return 0;
    }
    auto store = database(ctx)->user_store(user);
    // One transaction for both lists: all of it is stored, or (a full disk, a lock held too
    // long) none of it.
    auto results = store->put_batches({{Kind::records, records}, {Kind::settings, settings}});
    const PutResult& a = results.at(0);
    const PutResult& b = results.at(1);
    if (!a.failed.empty() || !b.failed.empty() || !a.errors.empty() || !b.errors.empty()) {
        for (const auto& e : a.errors) std::cerr << e << "\n";
        for (const auto& e : b.errors) std::cerr << e << "\n";
        throw std::runtime_error(
            "some items were refused while writing (the user's data changed meanwhile)");
    }
    std::cout << "merged " << a.accepted.size() << " records and " << b.accepted.size()
              << " settings into " << user << " (items stored with a newer mt were kept)\n";
    return 0;
}

}  // namespace tagwatch::admin
