/** Internals of the test extension: locating a server and building template databases. Not API. */
package io.ominis.testing.internal;
