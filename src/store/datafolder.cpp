// The data folder as a Database (datafolder.hpp): file names, the per-process cache of
// open user files, and the throttle's file beside users/.
#include "store/datafolder.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "store/naming.hpp"
#include "util/file.hpp"

namespace tagwatch {

namespace {

constexpr size_t kMaxCached = 16;

std::string without_trailing_slash(std::string dir) {
    while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
    return dir;
}

}  // namespace

std::string user_store_path(const std::string& datadir, const std::string& username) {
    return without_trailing_slash(datadir) + "/users/" + user_filename(username);
}

std::string throttle_path(const std::string& datadir) {
    return without_trailing_slash(datadir) + "/throttle.db";
}

std::string teams_path(const std::string& datadir) {
    return without_trailing_slash(datadir) + "/teams.db";
}

DataFolder::DataFolder(std::string datadir, std::string journal_mode)
    : datadir_(without_trailing_slash(std::move(datadir))),
      journal_mode_(std::move(journal_mode)),
      owner_(getpid()) {
    if (journal_mode_ != "wal" && journal_mode_ != "delete")
        throw std::invalid_argument("store: journal_mode must be wal or delete, not " +
                                    journal_mode_);
}

DataFolder::~DataFolder() {
    if (owner_ != getpid()) forget_after_fork();
}

// A forked child must not use (or close) its parent's connections: it starts with an empty
// cache (the parent's entries are deliberately leaked in the child, never closed there).
void DataFolder::forget_after_fork() {
    new std::vector<Entry>(std::move(cache_));
    cache_.clear();
    owner_ = getpid();
}

std::shared_ptr<UserStore> DataFolder::user_store(const std::string& username, bool create) {
    std::lock_guard lock(mutex_);
    if (owner_ != getpid()) forget_after_fork();
    // The hot path (every request): find the open store and check, with one stat(), that
    // its file is still the one on disk and the store has not met a damaged file.
    struct stat sb {};
    for (auto it = cache_.begin(); it != cache_.end(); ++it) {
        if (it->username != username) continue;
        if (stat(it->store->path().c_str(), &sb) == 0 && sb.st_dev == it->dev &&
            sb.st_ino == it->ino && !it->store->broken()) {
            it->used = ++tick_;
            return it->store;
        }
        cache_.erase(it);  // deleted, replaced or damaged since: open the file there now
        break;
    }
    const std::string path = user_store_path(datadir_, username);
    if (!create && stat(path.c_str(), &sb) != 0) return nullptr;

    make_private_dirs(datadir_ + "/users");
    auto store = std::make_shared<UserFile>(path, journal_mode_);
    if (stat(path.c_str(), &sb) != 0)
        throw std::runtime_error("store: " + path +
                                 " vanished while opening: " + std::strerror(errno));
    if (cache_.size() >= kMaxCached) {
        auto lru = std::min_element(cache_.begin(), cache_.end(),
                                    [](const Entry& a, const Entry& b) { return a.used < b.used; });
        cache_.erase(lru);
    }
    cache_.push_back(Entry{username, store, sb.st_dev, sb.st_ino, ++tick_});
    return store;
}

bool DataFolder::user_exists(const std::string& username) {
    struct stat sb {};
    return stat(user_store_path(datadir_, username).c_str(), &sb) == 0 && S_ISREG(sb.st_mode);
}

std::shared_ptr<LoginThrottle> DataFolder::login_throttle(const ThrottleLimits& limits) {
    auto throttle = std::make_shared<ThrottleFile>(throttle_path(datadir_), journal_mode_, limits);
    std::lock_guard lock(mutex_);
    std::erase_if(throttles_, [](const auto& w) { return w.expired(); });
    throttles_.push_back(throttle);
    return throttle;
}

std::shared_ptr<TeamStore> DataFolder::teams() {
    std::lock_guard lock(mutex_);
    if (!teams_) {
        make_private_dirs(datadir_);
        teams_ = std::make_shared<TeamsFile>(teams_path(datadir_), journal_mode_);
    }
    return teams_;
}

void DataFolder::close() {
    std::vector<Entry> entries;
    std::vector<std::shared_ptr<ThrottleFile>> throttles;
    std::shared_ptr<TeamsFile> teams;
    {
        std::lock_guard lock(mutex_);
        if (owner_ != getpid()) forget_after_fork();
        entries.swap(cache_);
        for (const auto& w : throttles_)
            if (auto t = w.lock()) throttles.push_back(t);
        teams = teams_;
    }
    for (auto& e : entries) e.store->close();
    for (auto& t : throttles) t->close();
    if (teams) teams->close();
}

}  // namespace tagwatch
