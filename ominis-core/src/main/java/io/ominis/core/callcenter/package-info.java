/**
 * mod_callcenter's state (agents, tiers, members) and its value sets, spelled exactly as FreeSWITCH spells them.
 */
package io.ominis.core.callcenter;
