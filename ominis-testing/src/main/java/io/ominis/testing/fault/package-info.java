/**
 * Fault injection for integration tests: {@link io.ominis.testing.fault.TcpProxy} sits between the code under test
 * and a real peer (PostgreSQL, FreeSWITCH's XML-RPC, an OpenAI stand-in, any TCP service) and breaks the network the
 * way real networks break: refused connections, closed or reset ones, half-open ones that go silent without a FIN,
 * a peer that accepts and never answers, and added latency, each per direction where that makes sense.
 */
package io.ominis.testing.fault;
