#!/usr/bin/env python3
"""Sums async-profiler's collapsed stacks (one 'frame;frame;... count' line per stack) into the stages of a request.

Usage: stages.py FILE.collapsed [TOP]
A sample counts toward every stage whose marker appears anywhere in its stack, so stages nest (the servlet layer
includes Javalin, which includes the route) and the column does not add up to 100 %. TOP (default 25) self frames
follow the stage table.
"""
import collections
import sys

# stage name -> markers (substrings of a frame); the order is the order of the table
STAGES = [
    ("Jetty worker threads (everything a request does)", ["QueuedThreadPool"]),
    ("read-ahead of bodies and their deadline", ["BodyDeadline", "EagerContentHandler"]),
    ("bulkheads (QoSHandler)", ["QoSHandler"]),
    ("servlet layer (ServletChannel and below)", ["ServletChannel.handle"]),
    ("Javalin (JavalinServlet and below)", ["JavalinServlet.service"]),
    ("mod_xml_curl in Jetty (XmlCurlHandler and below)", ["XmlCurlHandler.handle"]),
    ("route handler (XmlCurlRoutes and below)", ["XmlCurlRoutes.handle"]),
    ("HTTP parsing (Jetty HttpParser)", ["HttpParser"]),
    ("form parsing", ["XmlCurlRequest.parse", "Content$Source.asString", "Content$Source.asByteBuffer"]),
    ("served-domain check", ["ServedDomains"]),
    ("directory lookup (cache or database)", ["DirectoryService.find"]),
    ("reuse of the rendered answer (memo)", ["Memo.get"]),
    ("rendering (Woodstox)", ["DirectoryRenderer", "com/ctc/wstx"]),
    ("Jdbi", ["org/jdbi"]),
    ("HikariCP", ["com/zaxxer"]),
    ("PostgreSQL JDBC driver", ["org/postgresql"]),
    ("metrics", ["ServerMetrics.request", "ServerMetrics.xmlCurl", "TimedQueries"]),
    ("socket writes (kernel included)", ["SocketChannelImpl.write"]),
    ("socket reads (kernel included)", ["SocketChannelImpl.read"]),
    ("selector and epoll", ["ManagedSelector", "EPoll"]),
    ("thread wake-ups and parking", ["Unsafe.park", "Unsafe.unpark", "LockSupport"]),
    ("JIT compiler threads", ["CompileBroker", "C2Compiler", "C1Compiler"]),
    ("garbage collector threads", ["GCTaskThread", "G1 ", "gc_"]),
]


def main():
    total = 0
    stage = collections.Counter()
    own = collections.Counter()
    with open(sys.argv[1]) as f:
        for line in f:
            stack, count = line.rsplit(" ", 1)
            n = int(count)
            total += n
            own[stack.split(";")[-1]] += n
            for name, markers in STAGES:
                if any(m in stack for m in markers):
                    stage[name] += n
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    print(f"| stage | share of the server's CPU samples ({total}) |")
    print("|---|---:|")
    for name, _ in STAGES:
        print(f"| {name} | {100 * stage[name] / total:.1f} % |")
    print()
    print("| self frame | share |")
    print("|---|---:|")
    for frame, n in own.most_common(top):
        print(f"| `{frame}` | {100 * n / total:.1f} % |")


if __name__ == "__main__":
    main()
