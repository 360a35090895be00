#!/usr/bin/env python3
"""Independent summary of a TensorBoard event file for docs/log-benchmark-3.md (stdlib only, shares
nothing with convdoc): walks the TFRecord frames (CRCs not checked), reads Event.step and each
Summary.Value tag with a simple_value or a float tensor, and prints first/min/max/last per tag.
Usage: python3 bench/tfevents-summary.py <events file> [tag to print in full]"""
import struct,sys,collections
def varint(b,i):
    r=s=0
    while True:
        c=b[i];i+=1;r|=(c&0x7f)<<s;s+=7
        if c<0x80: return r,i
def fields(b):
    i=0
    while i<len(b):
        k,i=varint(b,i);f,t=k>>3,k&7
        if t==0: v,i=varint(b,i)
        elif t==1: v=b[i:i+8];i+=8
        elif t==5: v=b[i:i+4];i+=4
        elif t==2: n,i=varint(b,i);v=b[i:i+n];i+=n
        else: raise Exception(t)
        yield f,t,v
data=open(sys.argv[1],'rb').read();i=0;series=collections.defaultdict(list)
while i<len(data):
    n=struct.unpack('<Q',data[i:i+8])[0];rec=data[i+12:i+12+n];i+=12+n+4
    step=0;summ=None
    for f,t,v in fields(rec):
        if f==2: step=v
        if f==5: summ=v
    if summ is None: continue
    for f,t,v in fields(summ):
        if f!=1: continue
        tag=None;val=None
        for f2,t2,v2 in fields(v):
            if f2==1: tag=v2.decode()
            if f2==2 and t2==5: val=struct.unpack('<f',v2)[0]
            if f2==8:
                for f3,t3,v3 in fields(v2):
                    if f3==5 and t3==5: val=struct.unpack('<f',v3)[0]
                    if f3==5 and t3==2: val=struct.unpack('<f',v3[:4])[0]
        if val is not None: series[tag].append((step,val))
for k,v in series.items():
    vals=[x for _,x in v]
    lo=vals.index(min(vals)); hi=vals.index(max(vals))
    print(f'{k}: n={len(v)} steps {v[0][0]}..{v[-1][0]} first={vals[0]:.5g} min={vals[lo]:.5g}@step{v[lo][0]} max={vals[hi]:.5g}@step{v[hi][0]} last={vals[-1]:.5g}')
    if len(sys.argv)>2 and k==sys.argv[2]: print(' '.join(f'{x:.4g}' for x in vals))
