/* The do-nothing FastCGI responder: the ceiling for any FastCGI program behind the same nginx
 * (docs/design.md "Speed"). It answers every request with a fixed JSON body of a given size and
 * reads nothing. Flags as the program's, so the test harness can start it in its place:
 *   noop --socket PATH [--workers N] [--body_size BYTES]   (other flags are ignored) */
#include <fcgiapp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static pid_t children[256];
static int nchildren;

static void stop(int sig) {
    for (int i = 0; i < nchildren; i++) kill(children[i], sig);
    _exit(0);
}

/* "--name=value" or "--name value" (dashes or underscores in the name). */
static const char *flag(int argc, char **argv, const char *name) {
    for (int i = 1; i < argc; i++) {
        char buf[64];
        snprintf(buf, sizeof buf, "%s", argv[i]);
        for (char *p = buf + 2; *p && *p != '='; p++)
            if (*p == '-') *p = '_';
        size_t n = strlen(name);
        if (strncmp(buf, name, n) == 0 && buf[n] == '=') return argv[i] + n + 1;
        if (strcmp(buf, name) == 0 && i + 1 < argc) return argv[i + 1];
    }
    return NULL;
}

int main(int argc, char **argv) {
    const char *socket_path = flag(argc, argv, "--socket");
    const char *w = flag(argc, argv, "--workers");
    const char *b = flag(argc, argv, "--body_size");
    int workers = w ? atoi(w) : 1;
    size_t size = b ? (size_t)atol(b) : 80;
    if (!socket_path || workers < 1 || workers > 256) {
        fprintf(stderr, "usage: noop --socket PATH [--workers N] [--body_size BYTES]\n");
        return 2;
    }
    char *body = malloc(size + 1);
    memset(body, ' ', size);
    if (size >= 2) {
        body[0] = '{';
        body[size - 1] = '}';
    }
    FCGX_Init();
    unlink(socket_path);
    int fd = FCGX_OpenSocket(socket_path, 1024);
    if (fd < 0) {
        perror("noop: socket");
        return 1;
    }
    for (int i = 0; i < workers; i++) {
        pid_t pid = fork();
        if (pid == 0) {
            /* A worker ends with its parent, even when the parent is killed with SIGKILL. */
            prctl(PR_SET_PDEATHSIG, SIGTERM);
            if (getppid() == 1) _exit(0);
            /* The header is made once: the answer costs two copies into libfcgi's buffer. */
            char head[128];
            int hn =
                snprintf(head, sizeof head,
                         "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n", size);
            FCGX_Request req;
            FCGX_InitRequest(&req, fd, 0);
            while (FCGX_Accept_r(&req) >= 0) {
                FCGX_PutStr(head, hn, req.out);
                FCGX_PutStr(body, (int)size, req.out);
                FCGX_Finish_r(&req);
            }
            _exit(0);
        }
        children[nchildren++] = pid;
    }
    signal(SIGTERM, stop);
    signal(SIGINT, stop);
    while (wait(NULL) > 0) {
    }
    return 0;
}
