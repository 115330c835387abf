// tagwatch-admin's helpers: argument parsing, password prompts without echo, the data
// folder's lock, the database, atomic file writes, and switching
// to the data folder's owner when run as root.
#include <dirent.h>
#include <fcntl.h>
#include <grp.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>

#include "admin/admin.hpp"
#include "store/naming.hpp"
#include "util/text.hpp"

namespace tagwatch::admin {

std::string Args::get(const std::string& name, const std::string& fallback) const {
    auto it = options.find(name);
    return it == options.end() ? fallback : it->second;
}

std::vector<std::string> Args::all(const std::string& name) const {
    std::vector<std::string> values;
    for (const auto& [n, v] : given)
        if (n == name) values.push_back(v);
    return values;
}

const std::string& Args::need(size_t index, const std::string& what) const {
    if (index >= positional.size()) throw UsageError("missing " + what);
    return positional[index];
}

void Args::at_most(size_t count) const {
    if (positional.size() > count)
        throw UsageError("unexpected argument '" + positional[count] + "'");
}

Args parse_args(const std::vector<std::string>& argv, const std::set<std::string>& flags,
                const std::set<std::string>& valued) {
    Args args;
    bool only_positional = false;
    for (size_t i = 0; i < argv.size(); ++i) {
        const std::string& a = argv[i];
        if (only_positional || a.size() < 2 || a[0] != '-') {
            args.positional.push_back(a);
            continue;
        }
        if (a == "--") {
            only_positional = true;
            continue;
        }
        if (a == "-h") {
            args.options["help"] = "";
            continue;
        }
        if (a.compare(0, 2, "--") != 0) throw UsageError("unknown option '" + a + "'");
        std::string name = a.substr(2), value;
        bool has_value = false;
        auto eq = name.find('=');
        if (eq != std::string::npos) {
            value = name.substr(eq + 1);
            name = name.substr(0, eq);
            has_value = true;
        }
        for (char& c : name)
            if (c == '_') c = '-';
        if (name == "help" || flags.count(name)) {
            if (has_value) throw UsageError("option --" + name + " takes no value");
            args.options[name] = "";
        } else if (valued.count(name)) {
            if (!has_value) {
                if (i + 1 >= argv.size()) throw UsageError("option --" + name + " needs a value");
                value = argv[++i];
            }
            args.options[name] = value;
            args.given.emplace_back(name, value);
        } else {
            throw UsageError("unknown option '--" + name + "'");
        }
    }
    return args;
}

std::string datadir_path(const Context& ctx, const std::string& name) {
    std::string dir = ctx.config.datadir;
    while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
    return name.empty() ? dir : dir + "/" + name;
}

namespace {

std::string trim_newline(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
    return s;
}

// Reads one line from the terminal with echo off; echo comes back even on an exception.
std::string prompt_hidden(const std::string& prompt) {
    int fd = STDIN_FILENO;
    termios old{};
    if (tcgetattr(fd, &old) != 0) throw std::runtime_error("cannot read the terminal's settings");
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    quiet.c_lflag |= ECHONL;
    // Echo goes off before the prompt shows, so nothing typed after it is ever echoed.
    tcsetattr(fd, TCSAFLUSH, &quiet);
    std::cerr << prompt << std::flush;
    std::string line;
    bool ok = static_cast<bool>(std::getline(std::cin, line));
    tcsetattr(fd, TCSAFLUSH, &old);
    if (!ok) throw UsageError("no password given");
    return trim_newline(line);
}

}  // namespace

std::string read_new_password(bool from_stdin) {
    std::string password;
    if (!from_stdin && isatty(STDIN_FILENO)) {
        password = prompt_hidden("New password: ");
        std::string again = prompt_hidden("Same password again: ");
        if (password != again) throw UsageError("the two passwords differ; nothing was changed");
    } else {
        if (!std::getline(std::cin, password)) throw UsageError("no password on standard input");
        password = trim_newline(password);
    }
    if (password.empty()) throw UsageError("the password is empty");
    if (password.find('\0') != std::string::npos)
        throw UsageError("the password contains a NUL byte");
    if (trim(password) != password)
        throw UsageError(
            "the password starts or ends with white space, which logins trim away; choose another");
    return password;
}

DatadirLock::DatadirLock(const std::string& datadir) {
    make_private_dirs(datadir);
    fd_ = open(datadir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd_ < 0)
        throw std::runtime_error("cannot open the data folder " + datadir + ": " +
                                 std::strerror(errno));
    if (flock(fd_, LOCK_EX) != 0) {
        close(fd_);
        throw std::runtime_error("cannot lock the data folder " + datadir + ": " +
                                 std::strerror(errno));
    }
}

DatadirLock::~DatadirLock() {
    if (fd_ >= 0) close(fd_);  // closing ends the flock
}

std::shared_ptr<Database> database(const Context& ctx) {
    return open_database(store_settings(ctx.config));
}

std::shared_ptr<PgDatabase> pg_database(const Context& ctx) {
    if (ctx.config.database.empty()) return nullptr;
    auto db = std::dynamic_pointer_cast<PgDatabase>(database(ctx));
    db->startup_check();  // a clear message (the setting, libpq's words) when it cannot connect
    return db;
}

std::string data_place(const Context& ctx) {
    return ctx.config.database.empty() ? ctx.config.datadir : "the database";
}

std::map<std::string, std::string> user_files(const std::string& datadir,
                                              std::vector<std::string>* stray) {
    std::map<std::string, std::string> files;
    std::string dir = datadir + "/users";
    DIR* d = opendir(dir.c_str());
    if (!d) {
        if (errno == ENOENT) return files;
        throw std::runtime_error("cannot read " + dir + ": " + std::strerror(errno));
    }
    while (dirent* e = readdir(d)) {
        std::string name = e->d_name;
        if (name == "." || name == "..") continue;
        if (name.size() < 3 || name.compare(name.size() - 3, 3, ".db") != 0) {
            // SQLite's own companions of a user file are expected; anything else is stray.
            bool companion = false;
            for (const char* suffix : {".db-wal", ".db-shm", ".db-journal"}) {
                size_t n = std::strlen(suffix);
                if (name.size() > n && name.compare(name.size() - n, n, suffix) == 0)
                    companion = true;
            }
            if (!companion && stray) stray->push_back(name);
            continue;
        }
        auto user = username_from_filename(name);
        if (user)
            files[*user] = name;
        else if (stray)
            stray->push_back(name);
    }
    closedir(d);
    return files;
}

std::string become_datadir_owner(const std::string& datadir) {
    if (geteuid() != 0) return "";
    struct stat st {};
    if (stat(datadir.c_str(), &st) != 0 || st.st_uid == 0) return "";
    gid_t gid = st.st_gid;
    if (setgroups(1, &gid) != 0 || setgid(st.st_gid) != 0 || setuid(st.st_uid) != 0)
        throw std::runtime_error("cannot switch to the data folder's owner (uid " +
                                 std::to_string(st.st_uid) + "): " + std::strerror(errno));
    return "running as uid " + std::to_string(st.st_uid) + ", the owner of " + datadir;
}

}  // namespace tagwatch::admin
