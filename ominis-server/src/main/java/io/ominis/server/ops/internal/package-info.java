/** Implementation of the operations commands; not an API. */
package io.ominis.server.ops.internal;
