// The engine-neutral parts of the store (store.hpp): the merge rule and st stamping of a
// PUT, and the per-process registry of open databases that open_database() and
// close_databases() keep.
#include "store/store.hpp"

#include <pthread.h>

#include <algorithm>
#include <cassert>
#include <cmath>
#include <mutex>
#include <stdexcept>

#include "model/pyjson.hpp"
#include "store/datafolder.hpp"
#include "store/pg_store.hpp"

namespace tagwatch {

PutResult UserStore::put_items(Kind kind, const rapidjson::Value& array) {
    return put_batches({{kind, &array}}).front();
}

void append_item(std::string& out, std::string_view ob) {
    if (out.size() > 1) out += ',';
    out += ob;
}

int64_t truncate_clamped(double v) {
    if (std::isnan(v)) return 0;
    const double t = std::trunc(v);
    if (t <= -9223372036854775808.0) return INT64_MIN;
    if (t >= 9223372036854775808.0) return INT64_MAX;
    return static_cast<int64_t>(t);
}

std::string userinfo_ob(std::string_view key, double st, std::string_view value_json) {
    std::string ob = "{\"key\": ";
    py_json_string(key, ob);
    const std::string t = py_float_repr(st);
    ob += ", \"st\": " + t + ", \"mt\": " + t + ", \"value\": ";
    ob += value_json;
    ob += '}';
    return ob;
}

void check_seed_kind(const std::string& kind) {
    if (kind != "webtoken_seed" && kind != "apitoken_seed")
        throw std::invalid_argument("store: unknown seed kind: " + kind);
}

void check_info_key(std::string_view key) {
    if (key.substr(0, 9) != "tagwatch_")
        throw std::invalid_argument("store: a userinfo item of ours starts with tagwatch_, not " +
                                    std::string(key));
}

void normalize_team(Team& team) {
    for (auto* list : {&team.managers, &team.members, &team.tags}) {
        std::sort(list->begin(), list->end());
        list->erase(std::unique(list->begin(), list->end()), list->end());
    }
}

namespace {

// True when the stored item's mt is newer than the incoming one's.
bool stored_is_newer(const StoredItem& cur, int64_t mt) {
    if (const auto* i = std::get_if<int64_t>(&cur.mt)) return *i > mt;
    if (const auto* d = std::get_if<double>(&cur.mt)) return *d > static_cast<double>(mt);
    return false;
}

}  // namespace

std::vector<PutResult> merge_batches(ItemWriter& writer, const Batches& batches, double now,
                                     double reset_time) {
    std::vector<PutResult> results;
    for (const auto& [kind, array_ptr] : batches) {
        PutResult res;
        std::vector<std::string> keyless_errors;
        for (const auto& value : array_ptr->GetArray()) {
            Validation v = validate_item(kind, value);
            if (!v.key) {
                keyless_errors.push_back(std::move(v.error));
                continue;
            }
            if (v.ok && static_cast<double>(v.item.mt) < reset_time) {
                v.ok = false;
                v.error = "Item was modified after a reset";  // TimeTagger's text
            }

            const std::optional<StoredItem> cur = writer.get(kind, *v.key);
            bool cur_wins = v.ok && cur && stored_is_newer(*cur, v.item.mt);
            if (v.ok) {
                res.accepted.push_back(*v.key);
            } else {
                res.failed.push_back(*v.key);
                res.errors.push_back(std::move(v.error));
                if (!cur) continue;  // nothing stored under this key: nothing to re-stamp
                cur_wins = true;
            }

            // st strictly increases on every write of a key, so clients converge.
            const double st = cur ? std::max(now, cur->st + 0.0001) : now;
            assert(!cur || st > cur->st);
            std::string restamped;
            if (cur_wins) {
                try {
                    restamped = restamp_ob(cur->ob, st);
                } catch (const std::runtime_error&) {
                    // The stored text is not JSON (not written by us or TimeTagger):
                    // let a valid incoming item replace it, otherwise leave it be.
                    if (!v.ok) continue;
                    cur_wins = false;
                }
            }
            if (cur_wins)
                writer.restamp(kind, *v.key, restamped, st);
            else
                writer.put(kind, v.item, make_ob(kind, v.item, st), st);
        }
        for (auto& e : keyless_errors) res.errors.push_back(std::move(e));
        results.push_back(std::move(res));
    }
    return results;
}

// ---- the registry of open databases

namespace {

struct Registered {
    StoreSettings settings;
    std::shared_ptr<Database> database;
};

std::mutex registry_mutex;
std::vector<Registered> registry;

}  // namespace

std::shared_ptr<Database> open_database(const StoreSettings& settings) {
    std::lock_guard lock(registry_mutex);
    for (const auto& r : registry)
        if (r.settings.datadir == settings.datadir &&
            r.settings.journal_mode == settings.journal_mode &&
            r.settings.database == settings.database)
            return r.database;
    std::shared_ptr<Database> database;
    if (settings.database.empty())
        database = std::make_shared<DataFolder>(settings.datadir, settings.journal_mode);
    else
        database = std::make_shared<PgDatabase>(settings.database);
    registry.push_back(Registered{settings, database});
    return database;
}

void close_databases() {
    std::vector<std::shared_ptr<Database>> all;
    {
        std::lock_guard lock(registry_mutex);
        for (const auto& r : registry) all.push_back(r.database);
    }
    for (const auto& d : all) d->close();
}

}  // namespace tagwatch
