/** Implementation details of the XML-RPC client: codec, argument checks and reply parsers. Not API. */
package io.ominis.xmlrpc.internal;
