// FastCGI and CGI adapter: one accept loop per worker process, a supervisor that keeps
// N workers alive on a socket we own, and the CGI path that serves exactly one request.
#include "http/adapter.hpp"

#include <fcgiapp.h>
#include <fcntl.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <vector>

#include "http/log.hpp"
#include "store/store.hpp"
#include "util/clock.hpp"

extern char** environ;

namespace tagwatch {

namespace {

volatile sig_atomic_t g_stop = 0;  // SIGTERM/SIGINT seen in a worker

void on_stop_signal(int) { g_stop = 1; }

void install_handler(int sig, void (*fn)(int)) {
    struct sigaction sa {};
    sa.sa_handler = fn;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;  // no SA_RESTART: the wait for a connection (ppoll) must return on it
    sigaction(sig, &sa, nullptr);
}

void block_stop_signals(bool block) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigprocmask(block ? SIG_BLOCK : SIG_UNBLOCK, &set, nullptr);
}

struct FileIdentity {
    dev_t dev = 0;
    ino_t ino = 0;
    struct timespec mtime {};
};

std::string g_program_path;
FileIdentity g_program_identity;

bool identity_of(const std::string& path, FileIdentity& out) {
    struct stat st {};
    if (path.empty() || stat(path.c_str(), &st) != 0) return false;
    out.dev = st.st_dev;
    out.ino = st.st_ino;
    out.mtime = st.st_mtim;
    return true;
}

void remember_program() {
    char buf[4096];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0) return;
    g_program_path.assign(buf, static_cast<size_t>(n));
    identity_of(g_program_path, g_program_identity);
}

// True when the program file on disk is no longer the one running (an upload replaced it).
bool program_file_changed() {
    if (g_program_path.empty()) return false;
    FileIdentity now;
    if (!identity_of(g_program_path, now)) return true;
    return now.ino != g_program_identity.ino || now.dev != g_program_identity.dev ||
           now.mtime.tv_sec != g_program_identity.mtime.tv_sec ||
           now.mtime.tv_nsec != g_program_identity.mtime.tv_nsec;
}

// The worker's check after a request: at most once a second (a coarse clock read costs no
// system call), so the stat() stays off the path of every request under load.
bool program_changed() {
    static time_t last_check = 0;
    const time_t tick = coarse_monotonic_seconds();
    if (tick == last_check) return false;
    last_check = tick;
    return program_file_changed();
}

// The command line this process started with, to start the new program the same way.
std::vector<std::string> own_arguments() {
    std::vector<std::string> args;
    FILE* f = std::fopen("/proc/self/cmdline", "rb");
    if (!f) return args;
    std::string arg;
    for (int c; (c = std::fgetc(f)) != EOF;) {
        if (c == 0) {
            args.push_back(arg);
            arg.clear();
        } else {
            arg += static_cast<char>(c);
        }
    }
    std::fclose(f);
    return args;
}

// Replaces this supervisor by the program file that is on disk now, handing the listening
// socket over as systemd does (fd 3, LISTEN_FDS), so no connection is refused meanwhile.
// Returns only when that fails.
void reexec_new_program(int listen_fd) {
    std::vector<std::string> args = own_arguments();
    if (args.empty()) return;
    if (listen_fd != 3 && dup2(listen_fd, 3) < 0) return;
    int flags = fcntl(3, F_GETFD);
    if (flags >= 0) fcntl(3, F_SETFD, flags & ~FD_CLOEXEC);
    setenv("LISTEN_FDS", "1", 1);
    setenv("LISTEN_PID", std::to_string(getpid()).c_str(), 1);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::fprintf(stderr, "tagwatch: the program file was replaced; starting the new one\n");
    execv(g_program_path.c_str(), argv.data());
    std::fprintf(stderr, "tagwatch: cannot start the new program %s: %s; going on with this one\n",
                 g_program_path.c_str(), std::strerror(errno));
    unsetenv("LISTEN_FDS");
    unsetenv("LISTEN_PID");
}

double elapsed_ms(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
        .count();
}

int serve_cgi(const ServeOptions& options, const Handler& handler) {
    if (!std::getenv("REQUEST_METHOD")) {
        std::fprintf(
            stderr,
            "tagwatch: not started by a web server (no REQUEST_METHOD) and no --socket given.\n"
            "Run it with --socket PATH|HOST:PORT [--workers N] for FastCGI, or see --help.\n");
        return 2;
    }
    serve_request(
        environ, [](char* buf, size_t n) { return std::fread(buf, 1, n, stdin); }, handler,
        options.log,
        [](std::string_view out) {
            std::fwrite(out.data(), 1, out.size(), stdout);
            std::fflush(stdout);
        });
    return 0;
}

// One worker: accepts and answers until a stop signal, max_requests, idleness or a new binary.
int worker_loop(int listen_fd, const ServeOptions& options, const Handler& handler) {
    install_handler(SIGTERM, on_stop_signal);
    install_handler(SIGINT, on_stop_signal);
    signal(SIGPIPE, SIG_IGN);
    // Stop signals are held back everywhere but in the wait for a connection (ppoll lets
    // them in atomically), so a request that was accepted is always answered in full.
    block_stop_signals(true);
    sigset_t wait_mask;
    sigprocmask(SIG_SETMASK, nullptr, &wait_mask);
    sigdelset(&wait_mask, SIGTERM);
    sigdelset(&wait_mask, SIGINT);
    // Workers share the socket: the one that loses the race for a connection gets EAGAIN
    // from accept() instead of blocking where no signal could reach it.
    fcntl(listen_fd, F_SETFL, fcntl(listen_fd, F_GETFL) | O_NONBLOCK);
    FCGX_Request fcgi;
    if (FCGX_InitRequest(&fcgi, listen_fd, 0) != 0) {
        std::fprintf(stderr, "tagwatch: cannot set up the FastCGI request\n");
        return 1;
    }
    long served = 0;
    while (!g_stop) {
        struct pollfd pfd {
            listen_fd, POLLIN, 0
        };
        struct timespec idle {
            options.idle_timeout, 0
        };
        int ready = ppoll(&pfd, 1, options.idle_timeout > 0 ? &idle : nullptr, &wait_mask);
        if (g_stop) break;
        if (ready == 0) break;  // idle for idle_timeout seconds
        if (ready < 0) continue;
        if (int rc = FCGX_Accept_r(&fcgi); rc < 0) {
            if (rc == -ENOTSOCK || rc == -EBADF || rc == -EINVAL) {
                log_message(LogLevel::error,
                            std::string("the FastCGI socket does not accept connections: ") +
                                std::strerror(-rc));
                return 1;
            }
            if (rc != -EAGAIN && rc != -EWOULDBLOCK)
                usleep(10 * 1000);  // e.g. out of file descriptors
            continue;               // EAGAIN: another worker took this connection
        }
        serve_request(
            fcgi.envp,
            [&fcgi](char* buf, size_t n) {
                int got = FCGX_GetStr(buf, static_cast<int>(n), fcgi.in);
                return got > 0 ? static_cast<size_t>(got) : 0;
            },
            handler, options.log,
            [&fcgi](std::string_view out) {
                FCGX_PutStr(out.data(), static_cast<int>(out.size()), fcgi.out);
                FCGX_Finish_r(&fcgi);  // the client has its answer before the log line is written
            });
        ++served;
        if (options.max_requests > 0 && served >= options.max_requests) break;
        if (options.exit_on_binary_change && program_changed()) break;
    }
    FCGX_Free(&fcgi, 1);
    // A clean stop (signal, max_requests, idleness, a new binary): every answered write goes
    // from the WAL into its file, so no -wal content is left for a copy of the folder to miss.
    close_databases();
    return 0;
}

volatile sig_atomic_t g_supervisor_stop = 0;
void on_supervisor_signal(int) { g_supervisor_stop = 1; }

pid_t start_worker(int listen_fd, const ServeOptions& options, const Handler& handler) {
    const pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        // A worker whose supervisor is gone (killed with -9) stops too, after the request in
        // hand, instead of serving on as an orphan nobody will stop.
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() != parent) _exit(0);
        signal(SIGTERM, SIG_DFL);
        signal(SIGINT, SIG_DFL);
        block_stop_signals(true);
        _exit(worker_loop(listen_fd, options, handler));
    }
    return pid;
}

void stop_workers(const std::vector<pid_t>& pids);

// Keeps `workers` processes accepting on the socket; a worker that ends (crash, recycling)
// is replaced. SIGTERM/SIGINT stop the workers after their request in hand.
// (A worker that was idle for idle_timeout ends and is replaced by a fresh one: memory a
// big request made it take is given back.)
int supervise(int listen_fd, const ServeOptions& options, const Handler& handler) {
    install_handler(SIGTERM, on_supervisor_signal);
    install_handler(SIGINT, on_supervisor_signal);
    signal(SIGPIPE, SIG_IGN);
    std::vector<pid_t> pids(static_cast<size_t>(options.workers), 0);  // 0: a slot without a worker
    bool replaced = false;
    while (!g_supervisor_stop && !replaced) {
        // Fill the empty slots. fork() fails at a process limit (usual on shared hosts):
        // then try again in a second, and never keep a pid that is not a child's.
        bool fork_failed = false;
        for (auto& p : pids) {
            if (p > 0) continue;
            p = start_worker(listen_fd, options, handler);
            if (p < 0) {
                p = 0;
                fork_failed = true;
            }
        }
        if (fork_failed)
            log_message(LogLevel::error,
                        std::string("cannot start a worker: ") + std::strerror(errno));
        int status = 0;
        pid_t pid = waitpid(-1, &status, fork_failed ? WNOHANG : 0);
        if (pid <= 0) {
            if (fork_failed || errno == ECHILD) sleep(1);
            continue;  // or EINTR from our own signal
        }
        for (auto& p : pids) {
            if (p != pid) continue;
            p = 0;
            if (WIFSIGNALED(status)) {
                log_message(LogLevel::error, "worker " + std::to_string(pid) + " ended by signal " +
                                                 std::to_string(WTERMSIG(status)) +
                                                 "; starting another");
                usleep(100 * 1000);  // no tight loop on a crashing worker
            } else if (WEXITSTATUS(status) != 0) {
                sleep(1);  // a worker that cannot serve (its message is in the log): no tight loop
            }
            // Forking this old code again would not help: start the new program instead.
            if (options.exit_on_binary_change && program_file_changed()) replaced = true;
        }
    }
    stop_workers(pids);
    if (replaced && !g_supervisor_stop) {
        reexec_new_program(listen_fd);
        // The new program did not start: carry on with this one, and stop looking.
        identity_of(g_program_path, g_program_identity);
        return supervise(listen_fd, options, handler);
    }
    return 0;
}

// Asks every worker to stop after the request in hand; after 10 s a stuck one is killed.
void stop_workers(const std::vector<pid_t>& pids) {
    for (pid_t p : pids)
        if (p > 0) kill(p, SIGTERM);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    size_t alive = std::count_if(pids.begin(), pids.end(), [](pid_t p) { return p > 0; });
    while (alive > 0) {
        int status;
        pid_t pid = waitpid(-1, &status, WNOHANG);
        if (pid > 0) {
            --alive;
            continue;
        }
        if (pid < 0) break;
        if (std::chrono::steady_clock::now() > deadline) {
            for (pid_t p : pids)
                if (p > 0) kill(p, SIGKILL);
        }
        usleep(20 * 1000);
    }
}

int open_socket(const std::string& spec, int workers) {
    bool is_path = spec.find('/') != std::string::npos || spec.find(':') == std::string::npos;
    if (is_path) {
        struct stat st {};
        if (lstat(spec.c_str(), &st) == 0 && S_ISSOCK(st.st_mode))
            unlink(spec.c_str());  // stale socket
    }
    int fd = FCGX_OpenSocket(spec.c_str(), std::max(128, workers * 32));
    if (fd < 0) return -1;
    // Only the owner and its group (the web server's) may talk to a unix socket: whoever can
    // connect could set REMOTE_USER.
    if (is_path) chmod(spec.c_str(), 0660);
    return fd;
}

}  // namespace

// The one place where an error becomes an answer: called in a catch block, it turns the
// exception in flight into a Response. HttpError gives its status, text and Retry-After;
// anything else is a bug, logged for the operator and answered with a 500 that tells the
// client nothing about paths or SQL.
Response answer_error(const Request& request) {
    try {
        throw;
    } catch (const HttpError& e) {
        Response r = Response::text(e.status, e.what());
        if (e.retry_after > 0) r.headers.emplace_back("Retry-After", std::to_string(e.retry_after));
        return r;
    } catch (const std::exception& e) {
        log_message(LogLevel::error,
                    "internal error on " + request.method + " " + request.path + ": " + e.what());
    } catch (...) {
        log_message(LogLevel::error, "internal error on " + request.method + " " + request.path +
                                         ": unknown exception");
    }
    return Response::text(
        500, "internal server error: the request could not be answered; the server log says why");
}

// Called in a catch block: says in the server's own log that the request log failed.
void note_log_failure() noexcept {
    try {
        try {
            throw;
        } catch (const std::exception& e) {
            log_message(LogLevel::error, std::string("the request log failed: ") + e.what());
        } catch (...) {
            log_message(LogLevel::error, "the request log failed: unknown exception");
        }
    } catch (...) {
        // Not even that (out of memory): the answer went out, and that is what counts.
    }
}

Response handle_safely(const Handler& handler, Request& request) {
    try {
        return handler(request);
    } catch (...) {
        return answer_error(request);
    }
}

void serve_request(char** envp, BodyReader read, const Handler& handler, const RequestLogger& log,
                   const std::function<void(std::string_view)>& write) noexcept {
    // What is left when even the error answer cannot be made (no memory for its text).
    static constexpr std::string_view kLastResort =
        "Status: 500 Internal Server Error\r\nContent-Type: text/plain; "
        "charset=utf-8\r\nContent-Length: 69\r\n\r\n"
        "internal server error: the server ran out of memory for this request\n";
    const auto start = std::chrono::steady_clock::now();
    Request request;
    Response response;
    std::string out;
    try {
        try {
            request = Request(envp, std::move(read));
            response = handler(request);
        } catch (...) {
            response = answer_error(request);
        }
        out = format_response(request, response);
    } catch (...) {
        out.clear();  // no memory even for the answer to the error
    }
    write(out.empty() ? kLastResort : std::string_view(out));
    if (!log) return;
    try {
        log(request, response, elapsed_ms(start));
    } catch (...) {
        note_log_failure();  // a logger of the program's own must not take the worker down
    }
}

std::string format_response(const Request& request, const Response& response) {
    std::string out;
    out.reserve(response.body.size() + 256);
    out += "Status: " + std::to_string(response.status) + " " + status_reason(response.status) +
           "\r\n";
    out += "Content-Type: " + response.content_type + "\r\n";
    out += "Content-Length: " + std::to_string(response.body.size()) + "\r\n";
    for (const auto& [name, value] : response.headers) out += name + ": " + value + "\r\n";
    out += "\r\n";
    if (request.method != "HEAD") out += response.body;
    return out;
}

bool serves_own_socket(const ServeOptions& options) {
    const char* listen_fds = std::getenv("LISTEN_FDS");
    return !options.socket.empty() || (listen_fds && std::atoi(listen_fds) >= 1);
}

bool started_as_cgi() { return std::getenv("GATEWAY_INTERFACE") && std::getenv("REQUEST_METHOD"); }

int refuse_to_start(const std::string& why, const HttpError& answer) {
    std::fprintf(stderr, "%s\n", why.c_str());
    if (started_as_cgi())
        serve_cgi(ServeOptions{}, [&answer](Request&) -> Response { throw answer; });
    return 2;
}

int serve(const ServeOptions& options, const Handler& handler) {
    // A large answer (a full sync of 10,000 records is ~2 MB, built in a few strings) is
    // taken from mmap and given back when freed. glibc would otherwise raise its threshold
    // after the first such free and keep every later one in the heap: a worker stayed at
    // ~10 MB between requests instead of ~6 (make bench, worker RSS).
    mallopt(M_MMAP_THRESHOLD, 256 * 1024);
    if (FCGX_Init() != 0) {
        std::fprintf(stderr, "tagwatch: cannot initialise FastCGI\n");
        return 1;
    }
    remember_program();
    // systemd socket activation hands the socket over as fd 3, and so does our own
    // supervisor when it starts a replaced program file: a handed-over socket wins.
    const char* listen_pid = std::getenv("LISTEN_PID");
    const char* listen_fds = std::getenv("LISTEN_FDS");
    if (listen_fds && std::atoi(listen_fds) >= 1 &&
        (!listen_pid || std::atol(listen_pid) == getpid())) {
        unsetenv("LISTEN_FDS");
        unsetenv("LISTEN_PID");
        unsetenv("LISTEN_FDNAMES");
        return options.workers > 1 || !options.socket.empty() ? supervise(3, options, handler)
                                                              : worker_loop(3, options, handler);
    }
    if (!options.socket.empty()) {
        int fd = open_socket(options.socket, options.workers);
        if (fd < 0) {
            std::fprintf(stderr, "tagwatch: cannot listen on %s: %s\n", options.socket.c_str(),
                         std::strerror(errno));
            return 1;
        }
        return supervise(fd, options, handler);
    }
    if (FCGX_IsCGI()) return serve_cgi(options, handler);
    // spawn-fcgi or the web server gave us a listening socket on fd 0.
    return options.workers > 1 ? supervise(0, options, handler) : worker_loop(0, options, handler);
}

}  // namespace tagwatch
