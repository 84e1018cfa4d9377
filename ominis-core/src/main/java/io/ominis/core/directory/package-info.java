/** The SIP directory: extensions that FreeSWITCH authenticates against over mod_xml_curl. */
package io.ominis.core.directory;
