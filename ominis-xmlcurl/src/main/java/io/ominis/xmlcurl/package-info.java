/**
 * The mod_xml_curl contract, as pure functions: {@link io.ominis.xmlcurl.XmlCurlRequest} reads what FreeSWITCH posts,
 * {@link io.ominis.xmlcurl.Lookup} says what it asks for, and the renderers turn domain records into the documents it
 * expects. Nothing here does I/O; every renderer is deterministic so its output can be compared with golden files.
 */
package io.ominis.xmlcurl;
