/**
 * A small, safe client for FreeSWITCH's mod_xml_rpc: {@link io.ominis.xmlrpc.FreeSwitchClient} calls
 * {@code freeswitch.api}; {@link io.ominis.xmlrpc.FreeSwitchCommands} and {@link io.ominis.xmlrpc.CallCenterCommands}
 * type the commands Ominis needs; {@link io.ominis.xmlrpc.FreeSwitchCluster} and {@link io.ominis.xmlrpc.AclReloader}
 * address every node at once. Apache XML-RPC is deliberately not used (retired, CVE-2019-17570).
 */
package io.ominis.xmlrpc;
