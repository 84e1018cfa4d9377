/**
 * Ominis core: the exception hierarchy shared by every module. Domain records live in the sub-packages by area
 * ({@code directory}, {@code ivr}, {@code acl}, {@code switchstate}, {@code callcenter}, {@code cdr}); settings in
 * {@code config}. This module does no I/O.
 */
package io.ominis.core;
