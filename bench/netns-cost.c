/* What a fresh network namespace costs a run: fork+exit of a child, bare and with the child
 * unsharing a network namespace and bringing its loopback up (what ce-sandbox's relay does for
 * every run). Prints the median of N of each, interleaved so load falls on both alike. Run as root. */
#define _GNU_SOURCE
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int child(int with_network) {
    if (!with_network) return 0;
    if (unshare(CLONE_NEWNET) < 0) return 1;
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    struct ifreq ifr = {0};
    strcpy(ifr.ifr_name, "lo");
    if (s < 0 || ioctl(s, SIOCGIFFLAGS, &ifr) < 0) return 2;
    ifr.ifr_flags |= IFF_UP;
    return ioctl(s, SIOCSIFFLAGS, &ifr) < 0 ? 3 : 0;
}

static double once(int with_network) {
    double t0 = now_ms();
    pid_t pid = fork();
    if (pid == 0) _exit(child(with_network));
    int status;
    if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status)) {
        fprintf(stderr, "child failed (are you root?)\n");
        exit(1);
    }
    return now_ms() - t0;
}

static int by_value(const void *a, const void *b) {
    double x = *(const double *) a, y = *(const double *) b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 500;
    double *bare = calloc(n, sizeof *bare), *netns = calloc(n, sizeof *netns);
    for (int i = 0; i < n; i++) {
        bare[i] = once(0);
        netns[i] = once(1);
    }
    qsort(bare, n, sizeof *bare, by_value);
    qsort(netns, n, sizeof *netns, by_value);
    printf("median of %d: fork+exit %.3f ms, with a fresh network namespace %.3f ms, difference %.3f ms\n",
           n, bare[n / 2], netns[n / 2], netns[n / 2] - bare[n / 2]);
    return 0;
}
