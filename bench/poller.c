/*
 * poller: the fork-free reaction-time benchmark of bench/watch, for MPTCP endpoint daemons (mptcpstate watch,
 * mptcpd). A poller that forks `ip` for every look (1-2 ms each, more under load) cannot see a reaction of a
 * fraction of a millisecond; this one adds the address and dumps the endpoints itself, on sockets it keeps open.
 *
 * One process holds an rtnetlink and a generic-netlink (mptcp_pm) socket in each daemon's network namespace
 * (it setns()es into /run/netns/NAME, opens them there, and keeps them after leaving). No fork, no exec.
 *
 *   poller react [options] IFACE ADDRESS LABEL=NETNS [LABEL=NETNS ...]
 *     per try, per namespace in turn (round-robin: the daemons alternate within one run):
 *       RTM_NEWADDR ADDRESS/PREFIX on IFACE, acknowledged     -> t0 = time the ack was read
 *       dump MPTCP_PM_CMD_GET_ADDR every INTERVAL us (clock_nanosleep, absolute, 1 ns timer slack)
 *                                                            -> t1 = end of the first dump listing ADDRESS
 *       prints "LABEL TRY MICROSECONDS" (t1 - t0) on stdout ("LABEL TRY timeout" when none within -t)
 *       RTM_DELADDR, then dumps until the endpoint is gone (the daemon's job); on timeout the poller deletes
 *       the endpoint itself (reported on stderr) so that the next try starts clean.
 *     with -A a fourth field: t0 in CLOCK_MONOTONIC ns (to line up with a daemon's own System.nanoTime marks).
 *     with -R also "LABEL/del TRY MICROSECONDS": the time from the delete's ack to the endpoint being gone.
 *     at the end, per label on stderr: n, median, p90, p99, min, max (nearest rank; median of the middle two).
 *     options: -n TRIES (30)  -i INTERVAL_US (50; 0 = back-to-back dumps)  -t TIMEOUT_MS (2000)
 *              -g GAP_MS between tries (20)  -p PREFIX (24; 128-bit default 64 for IPv6)  -R
 *              -w HOLD_MS: keep the address this long after the endpoint appeared (default 0: delete at once;
 *              a daemon that re-reads the namespace to check its write then sees the address gone mid-step)
 *              -C: constant interval (default: 50 us at first, then 5% of the time elapsed, so that a slow
 *              daemon is not slowed further by thousands of dumps)
 *              -F PRIO: run the poller SCHED_FIFO at PRIO (both modes): its 50 us wake-ups stay 50 us on a loaded
 *              machine; without it, a daemon slower than the first dump is charged the poller's scheduling delays
 *
 *   poller storm [options] IFACE BASE LABEL=NETNS [LABEL=NETNS ...]
 *     per storm, per namespace in turn: toggles K /32 (or /128 nodad) addresses BASE, BASE+1, ... round-robin
 *     (add when absent, delete when present) with RTM_NEWADDR/RTM_DELADDR, BATCH messages per sendmsg and no
 *     acks (errors still come back and are counted), for EVENTS messages, paced to RATE events/s (0: as fast as
 *     possible). The storm ends with a known subset present. Then dumps endpoints every INTERVAL us until the
 *     endpoint set equals the set of storm addresses present (and other endpoints: none) and stays equal for
 *     -s ms. Prints "LABEL storm N events E seconds S rate R/s errors X converged_us C" (C = "timeout" when
 *     not within -t; convergence is the start of the final equal streak, measured from the last send).
 *     options: -k K (6, at most 8)  -e EVENTS (70000)  -r RATE (35000)  -b BATCH (16)  -n STORMS (1)
 *              -t TIMEOUT_MS (5000)  -s STABLE_MS (300)  -i INTERVAL_US (50)
 *
 * Build: gcc -O2 -Wall -o poller poller.c (bench/watch does). Needs root (CAP_NET_ADMIN, CAP_SYS_ADMIN for setns).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/genetlink.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MPTCP_PM_CMD_ADD_ADDR 1
#define MPTCP_PM_CMD_DEL_ADDR 2
#define MPTCP_PM_CMD_GET_ADDR 3
#define MPTCP_PM_ATTR_ADDR 1
#define MPTCP_PM_ADDR_ATTR_FAMILY 1
#define MPTCP_PM_ADDR_ATTR_ID 2
#define MPTCP_PM_ADDR_ATTR_ADDR4 3
#define MPTCP_PM_ADDR_ATTR_ADDR6 4
#define MAX_ENDPOINTS 64
#define MAX_NS 8

struct addr {
    int family;            /* AF_INET or AF_INET6 */
    unsigned char bytes[16];
};

struct endpoint {
    int id;
    struct addr a;
};

struct ns {
    const char *label;
    const char *name;
    int rt;                /* rtnetlink socket in that namespace */
    int gn;                /* generic netlink socket in that namespace */
    int family_id;         /* mptcp_pm */
    int ifindex;
    uint32_t seq;
    long *times;           /* reaction times, us; -1 = timeout */
    long *deltimes;
    int count;
};

static unsigned char buffer[1 << 20];

static void die(const char *what) {
    perror(what);
    exit(1);
}

static long now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000L + t.tv_nsec;
}

static void sleep_until(long ns) {
    struct timespec t = {ns / 1000000000L, ns % 1000000000L};
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL) == EINTR) {
    }
}

static int nl_open(int protocol) {
    int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol);
    if (fd < 0) die("socket(AF_NETLINK)");
    int one = 1;
    setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof one);
    setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof one);
    int size = 4 << 20;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size);
    struct sockaddr_nl local = {.nl_family = AF_NETLINK};
    if (bind(fd, (struct sockaddr *) &local, sizeof local) < 0) die("bind(netlink)");
    return fd;
}

static void put_attr(struct nlmsghdr *h, int type, const void *data, int len) {
    struct nlattr *a = (struct nlattr *) ((char *) h + NLMSG_ALIGN(h->nlmsg_len));
    a->nla_type = type;
    a->nla_len = NLA_HDRLEN + len;
    memcpy((char *) a + NLA_HDRLEN, data, len);
    h->nlmsg_len = NLMSG_ALIGN(h->nlmsg_len) + NLA_ALIGN(a->nla_len);
}

static struct nlattr *begin_nest(struct nlmsghdr *h, int type) {
    struct nlattr *a = (struct nlattr *) ((char *) h + NLMSG_ALIGN(h->nlmsg_len));
    a->nla_type = type | NLA_F_NESTED;
    a->nla_len = NLA_HDRLEN;
    h->nlmsg_len = NLMSG_ALIGN(h->nlmsg_len) + NLA_HDRLEN;
    return a;
}

static void end_nest(struct nlmsghdr *h, struct nlattr *a) {
    a->nla_len = (char *) h + h->nlmsg_len - (char *) a;
}

static void send_all(int fd, const void *data, size_t len) {
    struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
    if (sendto(fd, data, len, 0, (struct sockaddr *) &kernel, sizeof kernel) != (ssize_t) len) die("sendto");
}

/* Reads to the ack of seq; returns the errno (0 = success) and prints the extended-ack text when asked. */
static int wait_ack(int fd, uint32_t seq, const char *what, int quiet) {
    for (;;) {
        ssize_t n = recv(fd, buffer, sizeof buffer, 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            die("recv(ack)");
        }
        for (struct nlmsghdr *h = (struct nlmsghdr *) buffer; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
            if (h->nlmsg_seq != seq) continue;
            if (h->nlmsg_type == NLMSG_ERROR) {
                struct nlmsgerr *e = NLMSG_DATA(h);
                if (e->error && !quiet) fprintf(stderr, "poller: %s: %s\n", what, strerror(-e->error));
                return -e->error;
            }
        }
    }
}

static int parse_addr(const char *text, struct addr *a) {
    memset(a, 0, sizeof *a);
    if (inet_pton(AF_INET, text, a->bytes) == 1) {
        a->family = AF_INET;
        return 0;
    }
    if (inet_pton(AF_INET6, text, a->bytes) == 1) {
        a->family = AF_INET6;
        return 0;
    }
    return -1;
}

static int addr_len(const struct addr *a) {
    return a->family == AF_INET ? 4 : 16;
}

static int addr_eq(const struct addr *x, const struct addr *y) {
    return x->family == y->family && memcmp(x->bytes, y->bytes, addr_len(x)) == 0;
}

static void addr_plus(const struct addr *base, int k, struct addr *out) {
    *out = *base;
    int last = addr_len(base) - 1;
    out->bytes[last] = (unsigned char) (base->bytes[last] + k);
}

/* Appends one RTM_NEWADDR/RTM_DELADDR message at p; returns its length. */
static int build_addr_msg(void *p, int type, int flags, uint32_t seq, int ifindex, const struct addr *a,
                          int prefix) {
    struct nlmsghdr *h = p;
    memset(h, 0, 256);
    h->nlmsg_len = NLMSG_LENGTH(sizeof(struct ifaddrmsg));
    h->nlmsg_type = type;
    h->nlmsg_flags = NLM_F_REQUEST | flags | (type == RTM_NEWADDR ? NLM_F_CREATE | NLM_F_EXCL : 0);
    h->nlmsg_seq = seq;
    struct ifaddrmsg *ifa = NLMSG_DATA(h);
    ifa->ifa_family = a->family;
    ifa->ifa_prefixlen = prefix;
    ifa->ifa_index = ifindex;
    put_attr(h, IFA_LOCAL, a->bytes, addr_len(a));
    put_attr(h, IFA_ADDRESS, a->bytes, addr_len(a));
    if (a->family == AF_INET6 && type == RTM_NEWADDR) {
        uint32_t f = IFA_F_NODAD;
        put_attr(h, IFA_FLAGS, &f, 4);
    }
    return NLMSG_ALIGN(h->nlmsg_len);
}

static int addr_request(struct ns *n, int type, const struct addr *a, int prefix, int quiet) {
    unsigned char msg[256];
    int len = build_addr_msg(msg, type, NLM_F_ACK, ++n->seq, n->ifindex, a, prefix);
    send_all(n->rt, msg, len);
    return wait_ack(n->rt, n->seq, type == RTM_NEWADDR ? "RTM_NEWADDR" : "RTM_DELADDR", quiet);
}

static int resolve_family(int fd) {
    unsigned char msg[256] = {0};
    struct nlmsghdr *h = (struct nlmsghdr *) msg;
    h->nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
    h->nlmsg_type = GENL_ID_CTRL;
    h->nlmsg_flags = NLM_F_REQUEST;
    h->nlmsg_seq = 1;
    struct genlmsghdr *g = NLMSG_DATA(h);
    g->cmd = CTRL_CMD_GETFAMILY;
    g->version = 1;
    put_attr(h, CTRL_ATTR_FAMILY_NAME, "mptcp_pm", 9);
    send_all(fd, msg, h->nlmsg_len);
    ssize_t n = recv(fd, buffer, sizeof buffer, 0);
    if (n < 0) die("recv(ctrl)");
    for (struct nlmsghdr *r = (struct nlmsghdr *) buffer; NLMSG_OK(r, n); r = NLMSG_NEXT(r, n)) {
        if (r->nlmsg_type == NLMSG_ERROR) {
            fprintf(stderr, "poller: no mptcp_pm family\n");
            exit(1);
        }
        int len = r->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
        struct nlattr *a = (struct nlattr *) ((char *) NLMSG_DATA(r) + GENL_HDRLEN);
        for (; len >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= len;
             len -= NLA_ALIGN(a->nla_len), a = (struct nlattr *) ((char *) a + NLA_ALIGN(a->nla_len))) {
            if ((a->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_FAMILY_ID) return *(uint16_t *) ((char *) a + NLA_HDRLEN);
        }
    }
    fprintf(stderr, "poller: controller reply without a family id\n");
    exit(1);
}

/* Dumps the endpoints into out (at most max); returns how many. */
static int dump_endpoints(struct ns *n, struct endpoint *out, int max) {
    unsigned char msg[64] = {0};
    struct nlmsghdr *h = (struct nlmsghdr *) msg;
    h->nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
    h->nlmsg_type = n->family_id;
    h->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    h->nlmsg_seq = ++n->seq;
    struct genlmsghdr *g = NLMSG_DATA(h);
    g->cmd = MPTCP_PM_CMD_GET_ADDR;
    g->version = 1;
    send_all(n->gn, msg, h->nlmsg_len);
    int count = 0;
    for (;;) {
        ssize_t len = recv(n->gn, buffer, sizeof buffer, 0);
        if (len < 0) {
            if (errno == EINTR) continue;
            die("recv(dump)");
        }
        for (struct nlmsghdr *r = (struct nlmsghdr *) buffer; NLMSG_OK(r, len); r = NLMSG_NEXT(r, len)) {
            if (r->nlmsg_seq != n->seq) continue;
            if (r->nlmsg_type == NLMSG_DONE) return count;
            if (r->nlmsg_type == NLMSG_ERROR) {
                struct nlmsgerr *e = NLMSG_DATA(r);
                fprintf(stderr, "poller: get-addr dump: %s\n", strerror(-e->error));
                exit(1);
            }
            int alen = r->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
            struct nlattr *a = (struct nlattr *) ((char *) NLMSG_DATA(r) + GENL_HDRLEN);
            for (; alen >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= alen;
                 alen -= NLA_ALIGN(a->nla_len), a = (struct nlattr *) ((char *) a + NLA_ALIGN(a->nla_len))) {
                if ((a->nla_type & NLA_TYPE_MASK) != MPTCP_PM_ATTR_ADDR) continue;
                struct endpoint e = {0};
                int ilen = a->nla_len - NLA_HDRLEN;
                struct nlattr *i = (struct nlattr *) ((char *) a + NLA_HDRLEN);
                for (; ilen >= NLA_HDRLEN && i->nla_len >= NLA_HDRLEN && i->nla_len <= ilen;
                     ilen -= NLA_ALIGN(i->nla_len), i = (struct nlattr *) ((char *) i + NLA_ALIGN(i->nla_len))) {
                    void *v = (char *) i + NLA_HDRLEN;
                    switch (i->nla_type & NLA_TYPE_MASK) {
                    case MPTCP_PM_ADDR_ATTR_ID: e.id = *(uint8_t *) v; break;
                    case MPTCP_PM_ADDR_ATTR_ADDR4: e.a.family = AF_INET; memcpy(e.a.bytes, v, 4); break;
                    case MPTCP_PM_ADDR_ATTR_ADDR6: e.a.family = AF_INET6; memcpy(e.a.bytes, v, 16); break;
                    }
                }
                if (count < max) out[count++] = e;
            }
        }
    }
}

static int find_endpoint(struct ns *n, const struct addr *a, int *id) {
    struct endpoint eps[MAX_ENDPOINTS];
    int count = dump_endpoints(n, eps, MAX_ENDPOINTS);
    for (int i = 0; i < count; i++) {
        if (addr_eq(&eps[i].a, a)) {
            if (id) *id = eps[i].id;
            return 1;
        }
    }
    return 0;
}

static void delete_endpoint(struct ns *n, int id) {
    unsigned char msg[128] = {0};
    struct nlmsghdr *h = (struct nlmsghdr *) msg;
    h->nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
    h->nlmsg_type = n->family_id;
    h->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
    h->nlmsg_seq = ++n->seq;
    struct genlmsghdr *g = NLMSG_DATA(h);
    g->cmd = MPTCP_PM_CMD_DEL_ADDR;
    g->version = 1;
    struct nlattr *nest = begin_nest(h, MPTCP_PM_ATTR_ADDR);
    uint8_t id8 = id;
    put_attr(h, MPTCP_PM_ADDR_ATTR_ID, &id8, 1);
    end_nest(h, nest);
    send_all(n->gn, msg, h->nlmsg_len);
    wait_ack(n->gn, n->seq, "MPTCP_PM_CMD_DEL_ADDR", 0);
}

static void enter(const char *name) {
    char path[512];
    snprintf(path, sizeof path, "/run/netns/%s", name);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) die(path);
    if (setns(fd, CLONE_NEWNET) < 0) die("setns");
    close(fd);
}

static void open_ns(struct ns *n, const char *spec, const char *iface, int tries) {
    char *copy = strdup(spec);
    char *eq = strchr(copy, '=');
    if (!eq) {
        fprintf(stderr, "poller: expected LABEL=NETNS, got %s\n", spec);
        exit(2);
    }
    *eq = 0;
    n->label = copy;
    n->name = eq + 1;
    enter(n->name);
    n->rt = nl_open(NETLINK_ROUTE);
    n->gn = nl_open(NETLINK_GENERIC);
    n->family_id = resolve_family(n->gn);
    n->ifindex = if_nametoindex(iface); /* ioctl on a socket made here: this namespace's interface */
    if (!n->ifindex) {
        fprintf(stderr, "poller: no interface %s in %s\n", iface, n->name);
        exit(1);
    }
    n->seq = 100;
    n->times = calloc(tries, sizeof(long));
    n->deltimes = calloc(tries, sizeof(long));
}

static int cmp_long(const void *x, const void *y) {
    long a = *(const long *) x, b = *(const long *) y;
    return (a > b) - (a < b);
}

static void stats(const char *label, long *values, int n) {
    long *v = malloc(n * sizeof(long));
    int m = 0, timeouts = 0;
    for (int i = 0; i < n; i++) {
        if (values[i] < 0) timeouts++;
        else v[m++] = values[i];
    }
    if (!m) {
        fprintf(stderr, "%-16s no values (%d timeouts)\n", label, timeouts);
        return;
    }
    qsort(v, m, sizeof(long), cmp_long);
    double median = (v[(m - 1) / 2] + v[m / 2]) / 2.0;
    int r90 = (9 * m + 9) / 10, r99 = (99 * m + 99) / 100; /* nearest rank, ceil(q n) */
    if (r90 > m) r90 = m;
    if (r99 > m) r99 = m;
    int r25 = (m + 3) / 4;
    fprintf(stderr, "%-16s n %3d  median %8.1f us  p90 %8ld us  p99 %8ld us  min %6ld  p25 %6ld  max %8ld  timeouts %d\n",
            label, m, median, v[r90 - 1], v[r99 - 1], v[0], v[r25 - 1], v[m - 1], timeouts);
    free(v);
}

static int opt_tries = 30, opt_interval = 50, opt_timeout = 2000, opt_gap = 20, opt_prefix = -1, opt_deltimes = 0, opt_abs = 0;
static int opt_fifo = 0, opt_adaptive = 1, opt_hold = 0;
static int opt_k = 6, opt_events = 70000, opt_rate = 35000, opt_batch = 16, opt_stable = 300;

/* Dumps every interval until pred holds (found == want); returns the time it held, or -1 after the timeout. */
static long poll_until(struct ns *n, const struct addr *a, int want, long start, int *id) {
    long deadline = start + opt_timeout * 1000000L;
    long next = now_ns();
    for (;;) {
        int found = find_endpoint(n, a, id);
        long t = now_ns();
        if (found == want) return t;
        if (t > deadline) return -1;
        if (opt_interval > 0) {
            /* 50 us apart at first; later at most 5% of the time elapsed, so that a slow daemon is not charged for
             * thousands of dumps (each takes the CPU and the pernet lock): still 5% precise */
            long step = opt_interval * 1000L;
            if (opt_adaptive && (t - start) / 20 > step) step = (t - start) / 20;
            next += step;
            if (next < t) next = t; /* no catching up after a slow dump */
            sleep_until(next);
        }
    }
}

static int react(const char *iface, const char *address, int nns, char **specs) {
    struct addr a;
    if (parse_addr(address, &a) < 0) {
        fprintf(stderr, "poller: bad address %s\n", address);
        return 2;
    }
    int prefix = opt_prefix >= 0 ? opt_prefix : a.family == AF_INET ? 24 : 64;
    struct ns ns[MAX_NS];
    for (int i = 0; i < nns; i++) open_ns(&ns[i], specs[i], iface, opt_tries);
    for (int i = 0; i < nns; i++) { /* a clean start: no address, no endpoint left from before */
        addr_request(&ns[i], RTM_DELADDR, &a, prefix, 1);
        int id;
        if (find_endpoint(&ns[i], &a, &id)) delete_endpoint(&ns[i], id);
    }
    for (int t = 0; t < opt_tries; t++) {
        for (int i = 0; i < nns; i++) {
            struct ns *n = &ns[i];
            if (addr_request(n, RTM_NEWADDR, &a, prefix, 0)) return 1;
            long t0 = now_ns();
            int id = 0;
            long t1 = poll_until(n, &a, 1, t0, &id);
            n->times[t] = t1 < 0 ? -1 : (t1 - t0) / 1000;
            if (t1 < 0) printf("%s %d timeout\n", n->label, t + 1);
            else if (opt_abs) printf("%s %d %ld %ld\n", n->label, t + 1, n->times[t], t0);
            else printf("%s %d %ld\n", n->label, t + 1, n->times[t]);
            if (opt_hold > 0) sleep_until(now_ns() + opt_hold * 1000000L); /* let the daemon finish its step */
            if (addr_request(n, RTM_DELADDR, &a, prefix, 0)) return 1;
            long d0 = now_ns();
            long d1 = poll_until(n, &a, 0, d0, NULL);
            n->deltimes[t] = d1 < 0 ? -1 : (d1 - d0) / 1000;
            if (opt_deltimes) {
                if (d1 < 0) printf("%s/del %d timeout\n", n->label, t + 1);
                else printf("%s/del %d %ld\n", n->label, t + 1, n->deltimes[t]);
            }
            if (d1 < 0 && find_endpoint(n, &a, &id)) {
                fprintf(stderr, "poller: %s try %d: endpoint %d not removed by the daemon; deleting it\n",
                        n->label, t + 1, id);
                delete_endpoint(n, id);
            }
            fflush(stdout);
            sleep_until(now_ns() + opt_gap * 1000000L);
        }
    }
    for (int i = 0; i < nns; i++) {
        stats(ns[i].label, ns[i].times, opt_tries);
        if (opt_deltimes) {
            char label[64];
            snprintf(label, sizeof label, "%s/del", ns[i].label);
            stats(label, ns[i].deltimes, opt_tries);
        }
    }
    return 0;
}

/* Drains queued netlink errors on the route socket; returns how many refusals were seen. */
static long drain_errors(int fd) {
    long errors = 0;
    for (;;) {
        ssize_t n = recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
        if (n < 0) {
            if (errno == EAGAIN) return errors;
            if (errno == ENOBUFS) { errors++; continue; }
            die("recv(storm)");
        }
        for (struct nlmsghdr *h = (struct nlmsghdr *) buffer; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
            if (h->nlmsg_type == NLMSG_ERROR && ((struct nlmsgerr *) NLMSG_DATA(h))->error) errors++;
        }
    }
}

/* Whether the endpoints are exactly the present storm addresses. */
static int converged(struct ns *n, const struct addr *base, const int *present) {
    struct endpoint eps[MAX_ENDPOINTS];
    int count = dump_endpoints(n, eps, MAX_ENDPOINTS);
    int expected = 0;
    for (int k = 0; k < opt_k; k++) {
        if (!present[k]) continue;
        expected++;
        struct addr a;
        addr_plus(base, k, &a);
        int found = 0;
        for (int i = 0; i < count; i++) found |= addr_eq(&eps[i].a, &a);
        if (!found) return 0;
    }
    return count == expected;
}

static int storm(const char *iface, const char *address, int nns, char **specs) {
    struct addr base;
    if (parse_addr(address, &base) < 0) {
        fprintf(stderr, "poller: bad address %s\n", address);
        return 2;
    }
    if (opt_k < 1 || opt_k > 8) {
        fprintf(stderr, "poller: -k must be 1..8 (the kernel's endpoint cap)\n");
        return 2;
    }
    int prefix = base.family == AF_INET ? 32 : 128;
    struct ns ns[MAX_NS];
    for (int i = 0; i < nns; i++) open_ns(&ns[i], specs[i], iface, opt_tries);
    static unsigned char batch[1 << 16];
    for (int s = 0; s < opt_tries; s++) {
        for (int i = 0; i < nns; i++) {
            struct ns *n = &ns[i];
            int present[8] = {0};
            for (int k = 0; k < opt_k; k++) { /* clean start */
                struct addr a;
                addr_plus(&base, k, &a);
                addr_request(n, RTM_DELADDR, &a, prefix, 1);
            }
            long settle = now_ns() + 300 * 1000000L;
            while (!converged(n, &base, present) && now_ns() < settle) usleep(1000);
            drain_errors(n->rt);
            long errors = 0, sent = 0;
            long start = now_ns();
            int next_k = 0;
            while (sent < opt_events) {
                int len = 0, m = 0;
                while (m < opt_batch && sent + m < opt_events) {
                    struct addr a;
                    addr_plus(&base, next_k, &a);
                    int type = present[next_k] ? RTM_DELADDR : RTM_NEWADDR;
                    present[next_k] = !present[next_k];
                    len += build_addr_msg(batch + len, type, 0, ++n->seq, n->ifindex, &a, prefix);
                    next_k = (next_k + 1) % opt_k;
                    m++;
                }
                send_all(n->rt, batch, len);
                sent += m;
                errors += drain_errors(n->rt);
                if (opt_rate > 0) {
                    long due = start + (long) (sent * (1e9 / opt_rate));
                    if (due > now_ns()) sleep_until(due);
                }
            }
            long end = now_ns();
            errors += drain_errors(n->rt);
            /* convergence: the start of the final streak of equal dumps lasting STABLE ms */
            long streak = -1, deadline = end + opt_timeout * 1000000L, next = end, result = -1;
            for (;;) {
                int ok = converged(n, &base, present);
                long t = now_ns();
                if (ok && streak < 0) streak = t;
                if (!ok) streak = -1;
                if (streak >= 0 && t - streak >= opt_stable * 1000000L) {
                    result = streak;
                    break;
                }
                if (t > deadline) break;
                if (opt_interval > 0) {
                    next += opt_interval * 1000L;
                    if (next < t) next = t;
                    sleep_until(next);
                }
            }
            double seconds = (end - start) / 1e9;
            int left = 0;
            for (int k = 0; k < opt_k; k++) left += present[k];
            if (result < 0) { /* say what differs, on stderr */
                struct endpoint eps[MAX_ENDPOINTS];
                int count = dump_endpoints(n, eps, MAX_ENDPOINTS);
                char text[64];
                fprintf(stderr, "poller: %s storm %d not converged: present", n->label, s + 1);
                for (int k = 0; k < opt_k; k++) {
                    struct addr a;
                    addr_plus(&base, k, &a);
                    if (present[k]) fprintf(stderr, " %s", inet_ntop(a.family, a.bytes, text, sizeof text));
                }
                fprintf(stderr, "; endpoints");
                for (int i = 0; i < count; i++)
                    fprintf(stderr, " %d:%s", eps[i].id, inet_ntop(eps[i].a.family, eps[i].a.bytes, text, sizeof text));
                fprintf(stderr, "\n");
                printf("%s storm %d events %ld seconds %.3f rate %.0f/s errors %ld present %d converged_us timeout\n",
                       n->label, s + 1, sent, seconds, sent / seconds, errors, left);
            } else {
                printf("%s storm %d events %ld seconds %.3f rate %.0f/s errors %ld present %d converged_us %ld\n",
                       n->label, s + 1, sent, seconds, sent / seconds, errors, left, (result - end) / 1000);
            }
            fflush(stdout);
            for (int k = 0; k < opt_k; k++) { /* leave nothing behind */
                struct addr a;
                addr_plus(&base, k, &a);
                if (present[k]) addr_request(n, RTM_DELADDR, &a, prefix, 1);
                present[k] = 0;
            }
            sleep_until(now_ns() + 500 * 1000000L);
        }
    }
    return 0;
}

static void usage(void) {
    fprintf(stderr, "usage: poller react [-n TRIES] [-i INTERVAL_US] [-t TIMEOUT_MS] [-g GAP_MS] [-p PREFIX] [-R] [-A] [-F PRIO] [-C] [-w HOLD_MS]"
                    " IFACE ADDRESS LABEL=NETNS...\n"
                    "       poller storm [-n STORMS] [-k K] [-e EVENTS] [-r RATE] [-b BATCH] [-t TIMEOUT_MS]"
                    " [-s STABLE_MS] [-i INTERVAL_US] [-F PRIO] IFACE BASE LABEL=NETNS...\n");
    exit(2);
}

int main(int argc, char **argv) {
    if (argc < 2) usage();
    const char *mode = argv[1];
    argv++;
    argc--;
    int c;
    while ((c = getopt(argc, argv, "n:i:t:g:p:RAF:Cw:k:e:r:b:s:")) != -1) {
        switch (c) {
        case 'n': opt_tries = atoi(optarg); break;
        case 'i': opt_interval = atoi(optarg); break;
        case 't': opt_timeout = atoi(optarg); break;
        case 'g': opt_gap = atoi(optarg); break;
        case 'p': opt_prefix = atoi(optarg); break;
        case 'R': opt_deltimes = 1; break;
        case 'A': opt_abs = 1; break;
        case 'F': opt_fifo = atoi(optarg); break;
        case 'C': opt_adaptive = 0; break;
        case 'w': opt_hold = atoi(optarg); break;
        case 'k': opt_k = atoi(optarg); break;
        case 'e': opt_events = atoi(optarg); break;
        case 'r': opt_rate = atoi(optarg); break;
        case 'b': opt_batch = atoi(optarg); break;
        case 's': opt_stable = atoi(optarg); break;
        default: usage();
        }
    }
    if (argc - optind < 3 || argc - optind - 2 > MAX_NS) usage();
    prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0); /* default slack (50 us) would double a 50 us sleep */
    if (opt_fifo > 0) { /* precise wake-ups under load: the poller sleeps most of the time, so this starves nobody */
        struct sched_param param = {.sched_priority = opt_fifo};
        if (sched_setscheduler(0, SCHED_FIFO, &param) < 0) die("sched_setscheduler(SCHED_FIFO)");
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (!strcmp(mode, "react")) return react(argv[optind], argv[optind + 1], argc - optind - 2, argv + optind + 2);
    if (!strcmp(mode, "storm")) return storm(argv[optind], argv[optind + 1], argc - optind - 2, argv + optind + 2);
    usage();
    return 2;
}
