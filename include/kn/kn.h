/*
 * kn/kn.h: the kiennghi library, libkn, all of it.
 */
#ifndef KN_KN_H
#define KN_KN_H

#include "buf.h"
#include "cmd.h"
#include "commune.h"
#include "data.h"
#include "date.h"
#include "error.h"
#include "fields.h"
#include "intake.h"
#include "map.h"
#include "output.h"
#include "read.h"
#include "record.h"
#include "set.h"
#include "text.h"
#include "write.h"

#define KN_VERSION_STRING KN_VERSION

#endif
