/** Call detail records and how to select them. */
package io.ominis.core.cdr;
