/**
 * The mod_xml_curl service over the database, for any HTTP stack: {@link io.ominis.directory.XmlCurlService} turns
 * FreeSWITCH's form into the document to send back, {@link io.ominis.directory.DirectoryService} keeps directory
 * answers in memory until a change notification drops them, and {@link io.ominis.directory.XmlCurlAccess} decides who
 * may ask. It lives apart from {@code ominis-xmlcurl}, which stays pure (no I/O), because it queries the database.
 */
package io.ominis.directory;
