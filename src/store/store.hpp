// One user's SQLite file (TimeTagger's item store layout, API.md "Storage"):
// PUT merging with st stamping, the updates poll (with its lock-free hot path),
// record queries, force-reset and token seeds; plus a small per-process cache of
// open stores. Every write is one BEGIN IMMEDIATE transaction.
#pragma once

#include <rapidjson/document.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/errors.hpp"
#include "model/item.hpp"

namespace tagwatch {

struct RecordFilter {
    double t_from = 0, t_to = 0;  // truncated toward zero, as TimeTagger's int()
    std::optional<bool> running;  // true: only t1 == t2; false: only t1 != t2
    std::optional<bool> hidden;   // true: only ds starting with HIDDEN; false: the others
    std::vector<std::string> tags;  // each as ds_has_tag; empty strings match everything
};

struct PutResult {
    std::vector<std::string> accepted, failed;
    std::vector<std::string> errors;  // one per failed key (same order), then one per key-less item
};

struct Updates {
    double server_time = 0;
    bool reset = false;
    std::string records_json = "[]";   // JSON arrays of the stored _ob texts as they are
    std::string settings_json = "[]";
};

// Thread-safe (one internal mutex); several processes may open the same file.
// Errors: StoreBusy when the file stays locked past the busy timeout (10 s),
// std::runtime_error for anything else (a corrupt file, a full disk...).
class UserStore {
   public:
    // Opens or creates the file. A new file gets TimeTagger's exact schema; an
    // existing one keeps its schema (missing tables/indexes are added as
    // TimeTagger would). journal_mode: "wal" or "delete" (std::invalid_argument otherwise).
    UserStore(const std::string& path, const std::string& journal_mode);
    ~UserStore();
    UserStore(const UserStore&) = delete;
    UserStore& operator=(const UserStore&) = delete;

    // PUT records / settings: `array` must be a JSON array (caller checks).
    PutResult put_items(Kind kind, const rapidjson::Value& array);
    // Several lists in ONE transaction, all stored or none (tagwatch-admin import): each
    // list as put_items would store it, with one `now` for all. One PutResult per list.
    std::vector<PutResult> put_batches(const std::vector<std::pair<Kind, const rapidjson::Value*>>& batches);

    // GET updates?since=: `since` must be finite (caller checks). With `reuse_snapshot`, the
    // nothing-new check trusts what this connection read moments ago (for the same request,
    // right after get_seed) instead of asking SQLite again. That is safe: a nothing-new
    // answer never moves the client's `since` forward, so a write it misses comes next poll.
    Updates get_updates(double since, bool reuse_snapshot = false);

    // GET records: a JSON array of the matching records' _ob texts.
    std::string get_records_json(const RecordFilter& filter);

    // GET settings: a JSON array of every setting's _ob text.
    std::string get_settings_json();

    // PUT forcereset: the current time becomes the reset time.
    void force_reset();

    // The last force-reset time, -1 when there was none (as TimeTagger).
    double reset_time();

    // "webtoken_seed" or "apitoken_seed" (std::invalid_argument otherwise): the
    // stored seed, or a new one from make_seed when there is none yet.
    std::string get_seed(const std::string& kind, const std::function<std::string()>& make_seed);
    // Replaces the seed with a new one from make_seed (revokes older tokens).
    std::string reset_seed(const std::string& kind, const std::function<std::string()>& make_seed);

    const std::string& path() const;

    // For tests: the clock (Unix seconds) used for st and reset times, and how
    // long to wait for another connection's lock (default 10 s).
    void set_clock(std::function<double()> clock);
    void set_busy_timeout(int milliseconds);

   private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// <datadir>/users/<user_filename(username)>
std::string user_store_path(const std::string& datadir, const std::string& username);

// Opens (creating <datadir>/users/ with mode 0700 and the file when missing) and
// caches the store; the cache keeps at most 16 stores per process (least
// recently used dropped) and reopens a file that was deleted or replaced. With
// create = false a missing file is not made: the answer is nullptr.
std::shared_ptr<UserStore> open_user_store(const std::string& datadir, const std::string& username,
                                           const std::string& journal_mode, bool create = true);

// True when the user's file exists (without creating anything).
bool user_store_exists(const std::string& datadir, const std::string& username);

// Drops every cached store of this process (tests; before deleting files).
void clear_user_store_cache();

}  // namespace tagwatch
